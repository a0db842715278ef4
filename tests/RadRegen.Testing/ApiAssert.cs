using System.Net;
using System.Text.Json;
using Xunit;

namespace RadRegen.Testing;

/// <summary>Assertions on the API's answers: a success with its JSON body, or RFC 9457 problem details.</summary>
public static class ApiAssert
{
    /// <summary>The JSON body of a success (or of <paramref name="expected"/>), failing with the body otherwise.</summary>
    public static async Task<JsonElement> OkJson(HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected is null ? response.IsSuccessStatusCode : response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Problem details with the <paramref name="expected"/> status; with <paramref name="field"/>, an error naming it.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        if (field is not null)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors), body);
            Assert.True(errors.EnumerateObject().Any(e => e.Name.EndsWith(field, StringComparison.Ordinal)), $"no error for {field}: {body}");
        }

        return problem;
    }
}
