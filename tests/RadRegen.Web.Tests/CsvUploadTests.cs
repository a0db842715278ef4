using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests;

/// <summary>
/// CSV uploads go through the one strict reader: bad bytes and broken quoting are a 400 naming row and
/// column. The cases share one server: each refuses its uploads and checks only records of its own
/// (its own incident or patient, under a code no other case uses).
/// </summary>
public class CsvUploadTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
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
        var server = await servers.ForAsync("sqlite");
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
        var server = await servers.ForAsync("sqlite");
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

    [Fact]
    public async Task A_patients_observation_file_in_latin1_or_with_an_extra_field_is_refused_naming_row_and_column()
    {
        var server = await servers.ForAsync("sqlite");
        using var physician = await server.WithTokenAsync(Role.Physician);
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1);
        var incident = await OkJson(await physician.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code = "INC-OBS", title = "Irradiator accident", kind = "lost-or-orphan-source", startedAt = start, place = "Plant", radionuclides = new[] { "Co-60" },
        }), HttpStatusCode.Created);
        var patient = await OkJson(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{incident.GetProperty("id").GetInt64()}/patients"), new
        {
            code = "P-OBS", ageYears = 40, sex = "male", weightKg = 80, exposureStart = start, exposureHours = 0, route = "external",
        }), HttpStatusCode.Created);
        var url = $"/api/v1/care/patients/{patient.GetProperty("id").GetInt64()}/observations/imports";
        var at = start.AddHours(6).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        var latin1 = Encoding.Latin1.GetBytes($"observedAt,lymphocytes\n{at},1.1\u00e9\n");
        await Problem(await physician.PostAsync(U(url), Bytes(latin1)), HttpStatusCode.BadRequest, "upload row 2, column 2");

        var extra = $"observedAt,lymphocytes\n{at},1,1\n";
        await Problem(await physician.PostAsync(U(url), new StringContent(extra, Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest, "upload row 2, column 3");
        var record = await OkJson(await physician.GetAsync(U($"/api/v1/care/patients/{patient.GetProperty("id").GetInt64()}")));
        Assert.Equal(0, record.GetProperty("observations").GetArrayLength());
    }

    [Fact]
    public async Task A_pasted_laboratory_count_table_with_a_stray_extra_field_is_refused_naming_the_dose_point()
    {
        // The count table arrives as text inside JSON (already Unicode: there are no Latin-1 bytes to refuse).
        var server = await servers.ForAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var problem = await Problem(await tech.PostAsJsonAsync(U("/api/v1/care/lab/curves/fit"), new
        {
            assay = "dicentric", name = "x", countsCsv = "dose,cells,aberrations\n0,5000,8\n0.5,2002,55,9\n1,2008,169\n2,1003,310\n",
        }), HttpStatusCode.BadRequest, "counts");
        // Fields past the third are the optional distribution C0, C1, ... (rows differ in width by design, so the
        // reader does not demand the header's width): an extra field is read as a distribution, checked against
        // the row's totals, and refused naming the dose point.
        Assert.Contains("dose point 2: distribution adds up to 9 cells", problem.ToString(), StringComparison.Ordinal);
    }
}
