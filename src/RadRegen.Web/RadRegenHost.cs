using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadRegen.Core.Access;
using RadRegen.Storage;
using RadRegen.Web.Api;
using RadRegen.Web.Care;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Telemetry;
using RadRegen.Web.Infrastructure;
using RadRegen.Web.Security;

namespace RadRegen.Web;

/// <summary>How to run the server: the process's settings and, for tests, extra logging configuration.</summary>
/// <param name="Settings">The validated settings (<see cref="RadRegenConfiguration"/>).</param>
public sealed record RadRegenHostOptions(RadRegenSettings Settings)
{
    /// <summary>Extra logging configuration (tests quieten the console).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}

/// <summary>Builds the RadRegen web host (<see cref="RadRegenSetup"/> prepares the database).</summary>
public static partial class RadRegenHost
{
    public const string LoginRateLimit = "login";

    public static WebApplication Build(RadRegenHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Settings;
        var baseDirectory = AppContext.BaseDirectory;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WebAssemblyMarker).Assembly.GetName().Name,
            ContentRootPath = baseDirectory,
            WebRootPath = Path.Combine(baseDirectory, "wwwroot"),
            EnvironmentName = settings.Environment,
            Args = [],
        });
        builder.WebHost.UseUrls(settings.Web.Urls);
        options.ConfigureLogging?.Invoke(builder.Logging);

        var services = builder.Services;
        services.AddRadRegen(settings);
        services.AddCareWeb();
        services.AddHttpContextAccessor();
        services.AddSingleton<IAttemptSource, HttpAttemptSource>();
        services.AddRadRegenWebTelemetry(builder.Configuration[RadRegenTelemetry.OtlpEndpointVariable]);

        services.AddDataProtection().SetApplicationName("RadRegen")
            .PersistKeysToFileSystem(new DirectoryInfo(KeyDirectory(settings.Database)));

        services.AddAuthentication(Principals.SmartScheme)
            .AddPolicyScheme(Principals.SmartScheme, "Cookie for people, bearer token for machines", o =>
                o.ForwardDefaultSelector = ctx =>
                    ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? Principals.BearerScheme
                        : Principals.CookieScheme)
            .AddCookie(Principals.CookieScheme, o =>
            {
                o.Cookie.Name = "radregen.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = settings.Web.SessionIdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/access-denied";
                o.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden),
                    OnValidatePrincipal = ValidateSessionAsync,
                };
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(Principals.BearerScheme, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddOperationPolicies();

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.Web.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // Minimal APIs answer a body that is not JSON with a bare 415 (no exception to map): say what to send.
            if (ctx.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && ctx.ProblemDetails.Detail is null)
            {
                ctx.ProblemDetails.Detail = $"Content-Type \"{ctx.HttpContext.Request.ContentType}\" is not accepted here: send the body as application/json.";
            }

            // A chunked body cut by Kestrel at the route's limit is answered 413 by the minimal API without an exception: say which limit.
            if (ctx.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && ctx.ProblemDetails.Detail is null)
            {
                var message = RequestBodyLimits.TooLarge(RequestBodyLimits.For(ctx.HttpContext.Request)).Message;
                ctx.ProblemDetails.Title = "The request body is too large.";
                ctx.ProblemDetails.Detail = "body: " + message;
                ctx.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [message] };
            }
        });
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(
                new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower));
            o.SerializerOptions.Converters.Add(new NulRefusingStringConverter());
        });
        // A body or query value the API cannot bind is thrown (and answered by DomainExceptionHandler
        // with the field named) instead of a bare 400 without a body.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddHostedService<Bank.ExpiryWorker>();
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "RadRegen API";
            document.Info.Description = "Cell bank, HLA, dose assessment and emergency care. Cookie (people) or bearer token (machines); errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }));
        services.AddRazorPages(o =>
        {
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Error");
        }).AddApplicationPart(typeof(WebAssemblyMarker).Assembly);
        services.AddAntiforgery(o => o.Cookie.Name = "radregen.antiforgery");

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            // DomainExceptionHandler sees every exception first and logs each one that ends in a
            // 5xx with its trace id (and tags the request metric): the middleware's own log would
            // say the same again without it.
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages();
        app.Use(SecurityHeaders);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(app.Environment.WebRootPath),
        });
        // Before anything reads a body (the NUL filter reads forms): each route group's body limit.
        app.Use(RequestBodyLimits.InvokeAsync);
        app.Use(NulCharacterFilter.InvokeAsync);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapRadRegenMetrics();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapRadRegenApi();
        app.MapBankApi();
        app.MapCareApi();
        app.MapTherapyApi();
        app.MapLabApi();
        app.MapRazorPages();

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RadRegenHost));
        app.Lifetime.ApplicationStarted.Register(() => Started(log,
            settings.Center.Name.Length > 0 ? settings.Center.Name : "(unnamed)", settings.Center.FacilityCode ?? "(none)",
            settings.Database.Description, string.Join(", ", app.Urls), settings.Environment));
        return app;
    }

    // The database's description names the engine and the file or host, port and database: never a password.
    [LoggerMessage(LogLevel.Information, "RadRegen serving center {Center} (facility {FacilityCode}) on {Database} at {Urls} ({Environment})")]
    private static partial void Started(ILogger logger, string center, string facilityCode, string database, string urls, string environment);

    private static string KeyDirectory(DatabaseTarget target)
    {
        // Beside the SQLite file; for PostgreSQL, in the user's profile (set a shared key ring when
        // running several instances: see docs/operations.md).
        var root = target.Engine == Engine.Sqlite
            ? Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource)!
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".radregen");
        return Path.Combine(root, "keys");
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || ctx.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
            || ctx.Request.Path.StartsWithSegments(WebTelemetry.MetricsPath, StringComparison.OrdinalIgnoreCase))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>A session ends at once when its account is disabled; role changes apply at the next request.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext ctx)
    {
        if (ctx.Principal?.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var access = ctx.HttpContext.RequestServices.GetRequiredService<AccessService>();
        var current = ctx.Principal.Actor();
        var actor = await access.FindActiveActorAsync(current.UserId, ctx.HttpContext.RequestAborted);
        if (actor is null || actor.UserName != current.UserName)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Principals.CookieScheme);
            return;
        }

        if (!actor.Roles.SetEquals(current.Roles))
        {
            ctx.ReplacePrincipal(Principals.ToPrincipal(actor, Principals.CookieScheme, ctx.Principal.DisplayName()));
            ctx.ShouldRenew = true;
        }
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";
        return next();
    }
}
