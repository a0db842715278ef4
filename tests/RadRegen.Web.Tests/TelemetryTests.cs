using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting.Telemetry;
using RadRegen.Testing;
using RadRegen.Web.Infrastructure;

namespace RadRegen.Web.Tests;

/// <summary>/metrics, the logs that matter, and 5xx responses that can be found by their trace id.</summary>
/// <remarks>The two metrics cases read what the server counts and share one server; the cases that read a server's logs start their own, with its log capture.</remarks>
public class TelemetryTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    private static readonly Uri Metrics = new(WebTelemetry.MetricsPath, UriKind.Relative);

    [Fact]
    public async Task Metrics_answer_a_scraper_on_this_machine_without_sign_in_in_prometheus_format()
    {
        var server = await servers.ForAsync("sqlite");
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        (await auditor.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).EnsureSuccessStatusCode();

        using var scraper = server.Anonymous();
        // The request duration is recorded as the request ends, which may be just after the client
        // has its answer: scrape until it shows, a bounded number of times.
        string text = "";
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var response = await scraper.GetAsync(Metrics);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
            text = await response.Content.ReadAsStringAsync();
            if (text.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE radregen_db_transactions_total counter", text, StringComparison.Ordinal);
        Assert.Contains("radregen_db_unit_of_work_duration_seconds_bucket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_through_a_proxy_are_for_a_signed_in_principal_only()
    {
        var server = await servers.ForAsync("sqlite");
        using var anonymous = server.Anonymous();
        using var proxied = new HttpRequestMessage(HttpMethod.Get, Metrics);
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(proxied)).StatusCode);

        using var auditor = await server.WithTokenAsync(Role.Auditor);
        using var signedIn = new HttpRequestMessage(HttpMethod.Get, Metrics);
        signedIn.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var response = await auditor.SendAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", false, true)]
    [InlineData("127.8.9.10", false, true)]
    [InlineData("::1", false, true)]
    [InlineData("::ffff:127.0.0.1", false, true)]
    [InlineData("10.0.0.7", false, false)]
    [InlineData("192.168.1.20", false, false)]
    [InlineData("2001:db8::1", false, false)]
    [InlineData("10.0.0.7", true, true)]
    [InlineData("2001:db8::1", true, true)]
    public void Metrics_are_for_loopback_or_an_authenticated_principal(string remote, bool authenticated, bool allowed)
    {
        var user = authenticated ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "scraper")], "Bearer")) : new ClaimsPrincipal(new ClaimsIdentity());
        Assert.Equal(allowed, MetricsAccess.IsAllowed(IPAddress.Parse(remote), user));

        var http = new DefaultHttpContext { User = user };
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        Assert.Equal(allowed, MetricsAccess.IsAllowed(http));
    }

    [Theory]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    public void A_proxied_request_is_not_local_even_from_loopback(string header, string value)
    {
        var http = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity()) };
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        http.Request.Headers[header] = value;
        Assert.False(MetricsAccess.IsAllowed(http));
        Assert.False(MetricsAccess.IsAllowed(null, http.User));
    }

    [Fact]
    public async Task An_unexpected_exception_in_the_api_is_a_500_problem_logged_at_error_with_its_trace_id()
    {
        var logs = new CapturedLogs();
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var (handler, http, body) = HandlerFor(logs, "/api/v1/bank/vials");
        var exception = new InvalidOperationException("the unexpected");

        Assert.True(await handler.TryHandleAsync(http, exception, CancellationToken.None));

        Assert.Equal(StatusCodes.Status500InternalServerError, http.Response.StatusCode);
        var traceId = activity.TraceId.ToHexString();
        var entry = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Same(exception, entry.Exception);
        Assert.Equal(traceId, entry.Values["TraceId"]);
        Assert.Equal(500, entry.Values["StatusCode"]);
        Assert.Equal("/api/v1/bank/vials", entry.Values["Path"]);
        Assert.Contains(traceId, entry.Message, StringComparison.Ordinal);

        body.Position = 0;
        var problem = await JsonDocument.ParseAsync(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(traceId, problem.RootElement.GetProperty("traceId").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("the unexpected", problem.RootElement.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unavailable_database_is_a_503_logged_with_its_trace_id_and_a_refusal_is_not_logged()
    {
        var logs = new CapturedLogs();
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var (handler, http, _) = HandlerFor(logs, "/api/v1/care/incidents");
        Assert.True(await handler.TryHandleAsync(http, new Microsoft.Data.Sqlite.SqliteException("database is locked", 5), CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        var entry = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(activity.TraceId.ToHexString(), entry.Values["TraceId"]);

        var (handler2, http2, _) = HandlerFor(logs, "/api/v1/care/incidents");
        Assert.True(await handler2.TryHandleAsync(http2, new NotFoundException("no incident 9"), CancellationToken.None));
        Assert.Equal(StatusCodes.Status404NotFound, http2.Response.StatusCode);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task An_exception_in_a_page_is_logged_with_its_trace_id_and_left_to_the_error_page()
    {
        var logs = new CapturedLogs();
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var (handler, http, _) = HandlerFor(logs, "/error");
        http.Features.Set<IExceptionHandlerFeature>(new ExceptionHandlerFeature { Path = "/bank/vial/3", Error = new NotFoundException("no vial 3") });

        Assert.False(await handler.TryHandleAsync(http, new NotFoundException("no vial 3"), CancellationToken.None));

        var entry = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(activity.TraceId.ToHexString(), entry.Values["TraceId"]);
        Assert.Equal("/bank/vial/3", entry.Values["Path"]);
    }

    [Fact]
    public async Task The_server_logs_its_start_and_lock_outs_with_message_templates()
    {
        var logs = new CapturedLogs();
        await using var server = await TestServer.StartAsync("sqlite", o => o with
        {
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(logs);
            },
        });

        var started = Assert.Single(logs.Entries, e => e.Message.StartsWith("RadRegen serving", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal(server.Database.Target.Description, started.Values["Database"]);
        Assert.Contains(server.BaseAddress.ToString().TrimEnd('/'), (string)started.Values["Urls"]!, StringComparison.Ordinal);
        Assert.Equal("W0001", started.Values["FacilityCode"]);
        // The test server starts on a pre-migrated copy (TestWorld), so the setup logs that the schema is current.
        var schema = Assert.Single(logs.Entries, e => e.Category == "RadRegen.Hosting.RadRegenSetup" && e.Values.ContainsKey("Database"));
        Assert.Equal(server.Database.Target.Description, schema.Values["Database"]);
        Assert.True(schema.Values.ContainsKey("Version") || schema.Values.ContainsKey("ToVersion"), schema.Message);

        for (var i = 0; i < 5; i++)
        {
            await server.Access.LoginAsync("demo-auditor", "not the password");
        }

        var locked = Assert.Single(logs.Entries, e => e.Values.ContainsKey("Failures"));
        Assert.Equal(LogLevel.Warning, locked.Level);
        Assert.Equal("demo-auditor", locked.Values["UserName"]);
        Assert.Equal(5, locked.Values["Failures"]);
        // A message template, not an interpolated string: the values stay separate.
        Assert.StartsWith("Sign-in as {UserName} from {Source} throttled", (string)locked.Values["{OriginalFormat}"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_service_defaults_build_every_signal()
    {
        // Nothing listens there (loopback): the exporters are built and shut down, nothing more.
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddRadRegenTelemetry("http://127.0.0.1:9")
            .Services
            .BuildServiceProvider();
        Assert.NotNull(services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.NotNull(services.GetService<OpenTelemetry.Metrics.MeterProvider>());
        Assert.Contains(services.GetServices<ILoggerProvider>(), p => p.GetType().Name.Contains("OpenTelemetry", StringComparison.Ordinal));
    }

    private static (DomainExceptionHandler Handler, DefaultHttpContext Http, MemoryStream Body) HandlerFor(CapturedLogs logs, string path)
    {
        var services = new ServiceCollection()
            .AddLogging(l => l.AddProvider(logs))
            .AddProblemDetails()
            .BuildServiceProvider();
        var body = new MemoryStream();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = "GET";
        http.Request.Path = path;
        http.Response.Body = body;
        var handler = new DomainExceptionHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            services.GetRequiredService<ILogger<DomainExceptionHandler>>());
        return (handler, http, body);
    }
}
