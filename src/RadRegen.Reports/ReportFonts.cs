using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace RadRegen.Reports;

/// <summary>
/// The fonts a report is drawn with, carried inside this assembly (Fonts/README.md): DejaVu Sans
/// (regular, bold) for Latin text and IPAex Gothic for Japanese. PDFsharp 6 has no access to the
/// operating system's fonts on Linux, so every face it draws must come from a font resolver.
/// </summary>
public sealed class ReportFonts : IFontResolver
{
    /// <summary>The family for Latin-script reports (DejaVu Sans).</summary>
    public const string Latin = "RadRegen Latin";

    /// <summary>The family for Japanese reports and any text with CJK characters (IPAex Gothic; it has Latin glyphs too).</summary>
    public const string Japanese = "RadRegen Japanese";

    private const string LatinRegular = "DejaVuSans";
    private const string LatinBold = "DejaVuSans-Bold";
    private const string Gothic = "ipaexg";

    private static readonly Lock Gate = new();

    /// <summary>The one resolver of the process.</summary>
    public static ReportFonts Instance { get; } = new();

    private readonly ConcurrentDictionary<string, byte[]> faces = new(StringComparer.Ordinal);

    private ReportFonts()
    {
    }

    /// <summary>
    /// Installs <see cref="Instance"/> as PDFsharp's font resolver, once; later calls do nothing.
    /// PDFsharp keeps its resolver in process-wide static state (GlobalFontSettings) that "must be set
    /// only once and before any font operation" — a library constraint, not a choice of ours (ADR 0038):
    /// the check-and-set is under a lock so that two first renders on different threads cannot race, and
    /// the same instance is always given, which PDFsharp accepts for a repeated setting.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some other code installed a different resolver in this process.</exception>
    public static void Install()
    {
        if (ReferenceEquals(GlobalFontSettings.FontResolver, Instance))
        {
            return;
        }

        lock (Gate)
        {
            var current = GlobalFontSettings.FontResolver;
            if (current is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
            else if (!ReferenceEquals(current, Instance))
            {
                throw new InvalidOperationException(
                    $"PDFsharp's font resolver is already set to {current.GetType().FullName}; reports need {typeof(ReportFonts).FullName} (ADR 0038).");
            }
        }
    }

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => familyName switch
    {
        Latin => new FontResolverInfo(bold ? LatinBold : LatinRegular, false, italic),
        // IPAex Gothic has one weight: bold is simulated (PDFsharp thickens the outline).
        Japanese => new FontResolverInfo(Gothic, bold, italic),
        _ => null,
    };

    /// <inheritdoc />
    public byte[]? GetFont(string faceName) => faceName is LatinRegular or LatinBold or Gothic
        ? faces.GetOrAdd(faceName, Load)
        : null;

    private static byte[] Load(string faceName)
    {
        var name = $"RadRegen.Reports.Fonts.{faceName}.ttf";
        using var stream = typeof(ReportFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {name} is not embedded in {typeof(ReportFonts).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
