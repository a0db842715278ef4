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

    /// <summary>Registrations after RadRegen's own, which they replace (tests use a cheaper password hashing).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}

/// <summary>Builds the RadRegen web host (<see cref="RadRegenSetup"/> prepares the database).</summary>
public static partial class RadRegenHost
{
    public const string LoginRateLimit = "login";

    /// <summary>
    /// The header a cookie-authenticated API call that changes something must send (any value). A
    /// page on another site cannot add a custom header to a cross-site request without a CORS
    /// preflight, which RadRegen never grants (OWASP CSRF Prevention Cheat Sheet, "Custom Request
    /// Headers"); the session cookie is also SameSite=Strict. Bearer-token calls need no header.
    /// </summary>
    public const string AntiforgeryHeader = "X-RadRegen-CSRF";

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
        // The network engine (relay and consumer) runs in the server alone, and only with Network:Url (docs/network.md).
        RadRegen.Hosting.Network.NetworkEngineServices.AddRadRegenNetworkEngine(services, settings);
        services.AddCareWeb();
        services.AddHttpContextAccessor();
        services.AddSingleton<IAttemptSource, HttpAttemptSource>();
        services.AddRadRegenWebTelemetry(builder.Configuration[RadRegenTelemetry.OtlpEndpointVariable]);

        var keyRing = KeyRingFolder(KeyDirectory(settings.Database));
        var dataProtection = services.AddDataProtection().SetApplicationName("RadRegen")
            .PersistKeysToFileSystem(keyRing);
        if (settings.Web.KeyRingCertificatePath is { } certificatePath)
        {
            // Keys encrypted at rest with the operator's certificate (the framework's own XML encryptor).
            dataProtection.ProtectKeysWithCertificate(KeyRingCertificate(certificatePath, settings.Web.KeyRingCertificatePassword));
        }

        var https = ServesHttps(settings.Web.Urls);
        if (https)
        {
            services.AddHsts(o =>
            {
                o.MaxAge = TimeSpan.FromDays(365);
                o.IncludeSubDomains = false;
            });
        }

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
        services.AddSingleton<RadRegen.Fhir.FhirService>(); // HL7 FHIR R4 at /fhir/r4 (ADR 0037)
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "RadRegen API";
            document.Info.Description = "Cell bank, HLA, dose assessment and emergency care. Cookie (people) or bearer token (machines); errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }));
        // English and Japanese (Localization/UiCultures.cs, ADR 0041): resources under Resources/.
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Japanese text written as characters, not &#x...; entities: Razor's encoder allows every Unicode range
        // (it still encodes <, >, &, quotes), so titles, arguments and attribute values stay readable (ADR 0041).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToPage("/Language");
        }).AddApplicationPart(typeof(WebAssemblyMarker).Assembly).AddViewLocalization();
        services.AddAntiforgery(o => o.Cookie.Name = "radregen.antiforgery");
        options.ConfigureServices?.Invoke(services);

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
        // HSTS and the redirect to HTTPS only when an https endpoint is bound: a plain-HTTP loopback
        // server would otherwise redirect to a port nobody listens on (issue 12 item 10).
        if (https)
        {
            if (!app.Environment.IsDevelopment())
            {
                app.UseHsts();
            }

            app.UseHttpsRedirection();
        }

        app.Use(SecurityHeaders);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(app.Environment.WebRootPath),
        });
        app.UseRequestLocalization(Localization.UiCultures.Options());
        // Before anything reads a body (the NUL filter reads forms): each route group's body limit.
        app.Use(RequestBodyLimits.InvokeAsync);
        app.Use(NulCharacterFilter.InvokeAsync);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.Use(CookieApiCallsNeedTheAntiforgeryHeader);
        app.UseAuthorization();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapRadRegenMetrics();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapRadRegenApi();
        app.MapBankApi();
        app.MapCareApi();
        app.MapTherapyApi();
        app.MapLabApi();
        app.MapNetworkShipmentsApi();
        app.MapNetworkCapacityApi();
        app.MapHubApi();
        app.MapPlanningApi();
        app.MapNetworkInventoryApi();
        app.MapInboxApi();
        app.MapHlaApi();
        app.MapFhirApi();
        app.MapReportsApi();
        app.MapTrainingApi();
        app.MapExerciseApi();
        app.MapRazorPages();

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RadRegenHost));
        if (settings.Web.KeyRingCertificatePath is null)
        {
            KeyRingNotEncrypted(log, keyRing.FullName);
        }

        app.Lifetime.ApplicationStarted.Register(() => Started(log,
            settings.Center.Name.Length > 0 ? settings.Center.Name : "(unnamed)", settings.Center.FacilityCode ?? "(none)",
            settings.Database.Description, string.Join(", ", app.Urls), settings.Environment));
        return app;
    }

    // The database's description names the engine and the file or host, port and database: never a password.
    [LoggerMessage(LogLevel.Information, "RadRegen serving center {Center} (facility {FacilityCode}) on {Database} at {Urls} ({Environment})")]
    private static partial void Started(ILogger logger, string center, string facilityCode, string database, string urls, string environment);

    [LoggerMessage(LogLevel.Warning, "The data-protection key ring {Folder} is not encrypted at rest: only its folder's mode (0700, the service account) protects it. Set DataProtection:CertificatePath (and RADREGEN_DataProtection__CertificatePassword) to encrypt it with a certificate; see docs/operations.md")]
    private static partial void KeyRingNotEncrypted(ILogger logger, string folder);

    private static async Task CookieApiCallsNeedTheAntiforgeryHeader(HttpContext ctx, RequestDelegate next)
    {
        var method = ctx.Request.Method;
        if ((ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || FhirEndpoints.Serves(ctx.Request.Path))
            && !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
            && ctx.User.Identity?.IsAuthenticated == true
            && !ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && string.IsNullOrWhiteSpace(ctx.Request.Headers[AntiforgeryHeader]))
        {
            var detail = $"{AntiforgeryHeader}: a request to the API authenticated by the session cookie must send the header {AntiforgeryHeader} "
                + "(any value); machines use a bearer token instead, which needs no header";
            if (FhirEndpoints.Serves(ctx.Request.Path))
            {
                await FhirEndpoints.RefusedAsync(ctx.Response, StatusCodes.Status400BadRequest, detail);
                return;
            }

            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Anti-forgery header missing", detail: detail).ExecuteAsync(ctx);
            return;
        }

        await next(ctx);
    }

    /// <summary>True when one of the <c>Urls</c> (separated by ';') is https.</summary>
    public static bool ServesHttps(string urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The key ring folder, readable by the service account only: created 0700 on Unix, and narrowed
    /// to 0700 when it exists with wider rights (it is RadRegen's own folder, holding nothing else).
    /// </summary>
    public static DirectoryInfo KeyRingFolder(string path)
    {
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        try
        {
            if (OperatingSystem.IsWindows())
            {
                return Directory.CreateDirectory(path);
            }

            if (!Directory.Exists(path))
            {
                return Directory.CreateDirectory(path, Private);
            }

            if ((File.GetUnixFileMode(path) & ~Private) != 0)
            {
                File.SetUnixFileMode(path, Private);
            }

            return new DirectoryInfo(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("Database", $"cannot create the data-protection key ring folder '{path}': {ex.Message}");
        }
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 KeyRingCertificate(string path, string? password)
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // The message of a wrong password never contains the password.
            throw new ConfigurationException("DataProtection:CertificatePath", $"cannot load the certificate '{path}': {ex.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ConfigurationException("DataProtection:CertificatePath", $"the certificate '{path}' has no private key; the key ring needs one to decrypt its keys");
        }

        return certificate;
    }

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
        if (status == StatusCodes.Status401Unauthorized && FhirEndpoints.Serves(ctx.Request.Path))
        {
            return FhirEndpoints.NotSignedInAsync(ctx.Response);
        }

        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || FhirEndpoints.Serves(ctx.Request.Path)
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
