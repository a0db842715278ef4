using QRCoder;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;

namespace RadRegen.Web.Bank;

/// <summary>One vial label: eye-readable identity with the keyboard check character, and a 2-D code.</summary>
public sealed record VialLabel(Vial Vial, Din Din, Product Product, string LotNumber, string CodeText, string QrDataUri);

/// <summary>
/// Print-ready vial labels. ISBT 128's label specification and product-code database are licensed
/// by ICCBBA and not shipped; these labels carry the public parts: the DIN with its MOD 37-2 check
/// character, the center's product code and the division, in eye-readable form and as a QR code.
/// </summary>
public static class Labels
{
    /// <summary>The 2-D code's content: DIN, check character, product code, division, expiry (UTC date).</summary>
    public static string CodeText(Vial vial, Din din)
    {
        ArgumentNullException.ThrowIfNull(vial);
        ArgumentNullException.ThrowIfNull(din);
        return $"={din.Value}{din.CheckCharacter}|{vial.ProductCode}|{vial.Division}|{vial.ExpiresAt.UtcDateTime:yyyy-MM-dd}";
    }

    public static VialLabel For(Vial vial, Product product, string lotNumber)
    {
        ArgumentNullException.ThrowIfNull(vial);
        var din = Din.Parse(vial.Din);
        var text = CodeText(vial, din);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(4);
        return new VialLabel(vial, din, product, lotNumber, text, "data:image/png;base64," + Convert.ToBase64String(png));
    }
}
