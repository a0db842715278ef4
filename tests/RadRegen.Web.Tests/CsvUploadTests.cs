using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests;

/// <summary>CSV uploads go through the one strict reader: bad bytes and broken quoting are a 400 naming row and column.</summary>
public class CsvUploadTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    [Fact]
    public async Task Latin1_bytes_and_an_unterminated_quote_are_refused_with_row_and_column()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var coordinator = await server.WithTokenAsync(Role.Coordinator);
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1);
        var incident = await OkJson(await coordinator.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code = "INC-CSV", title = "Irradiator accident", kind = "lost-or-orphan-source", startedAt = start, place = "Goiânia", radionuclides = new[] { "Cs-137" },
        }), HttpStatusCode.Created);
        var url = $"/api/v1/care/incidents/{incident.GetProperty("id").GetInt64()}/imports";
        var at = start.AddHours(6).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        var latin1 = Encoding.Latin1.GetBytes($"patient,age,sex,weightKg,observedAt,lymphocytes\nV-1,40,f\u00e9male,60,{at},1.1\n");
        await Problem(await coordinator.PostAsync(U(url), Bytes(latin1)), HttpStatusCode.BadRequest, "upload row 2, column 3");

        var open = $"patient,age,sex,weightKg,observedAt,lymphocytes\nV-1,40,\"female,60,{at},1.1\nV-2,40,male,60,{at},1.1\n";
        var problem = await Problem(await coordinator.PostAsync(U(url), new StringContent(open, Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest,
            "upload row 2, column 3 (sex)");
        Assert.Contains("never closed", problem.ToString(), StringComparison.Ordinal);

        var extra = $"patient,age,sex,weightKg,observedAt,lymphocytes\nV-1,40,female,60,{at},1,1\n";
        await Problem(await coordinator.PostAsync(U(url), new StringContent(extra, Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest, "upload row 2, column 7");
        Assert.Equal(0, (await OkJson(await coordinator.GetAsync(U(url[..^"/imports".Length])))).GetProperty("patients").GetInt32());
    }

    [Fact]
    public async Task A_bank_inventory_file_in_latin1_or_with_an_extra_field_is_refused_naming_row_and_column()
    {
        // Issue 12 item 10: such bytes used to be stored as "Sendai vir\ufffds" and extra fields dropped.
        await using var server = await TestServer.StartAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var header = string.Join(",", RadRegen.Bank.Import.InventoryImport.Columns);
        var method = RadRegen.Bank.Import.InventoryImport.Columns.ToList().IndexOf("method");
        Assert.True(method >= 0);
        var cells = new string[RadRegen.Bank.Import.InventoryImport.Columns.Count];
        Array.Fill(cells, "");
        cells[0] = "D-LATIN";
        cells[method] = "Sendai vir\u00e9s";
        var latin1 = Encoding.Latin1.GetBytes(header + "\n" + string.Join(",", cells) + "\n");
        var column = (method + 1).ToString(CultureInfo.InvariantCulture);
        await Problem(await tech.PostAsync(U("/api/v1/bank/imports"), Bytes(latin1)), HttpStatusCode.BadRequest, $"row 2, column {column}");

        cells[method] = "Sendai virus";
        var extra = header + "\n" + string.Join(",", cells) + ",surplus\n";
        var extraColumn = (cells.Length + 1).ToString(CultureInfo.InvariantCulture);
        var problem = await Problem(await tech.PostAsync(U("/api/v1/bank/imports"), new StringContent(extra, Encoding.UTF8, "text/csv")),
            HttpStatusCode.BadRequest);
        Assert.Contains($"row 2, column {extraColumn}", problem.ToString(), StringComparison.Ordinal);
    }
}
