using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Cli.Admin;

/// <summary><c>radregen users …</c>, <c>radregen tokens …</c> and <c>radregen audit …</c>.</summary>
internal static class AdminCommands
{
    public static Command Users()
    {
        var users = new Command("users", "Manage people's accounts (run on the server by its operator).");

        var name = new Argument<string>("user") { Description = "Login name (lower-case letters, digits, '.', '_', '-')." };
        var role = new Option<string>("--role") { Description = "Role, or roles separated by commas: " + string.Join(", ", RoleNames.All.Select(r => r.Name())), Required = true };
        var display = new Option<string?>("--display-name") { Description = "The person's name as shown on screens and signatures." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of generating one." };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var add = new Command("add", "Create an account. Prints a generated password once unless --password-stdin.") { name, role, display, stdin, db, json };
        CliAction.Set(add, async (parse, ct) =>
        {
            var roles = RoleNames.ParseList(parse.GetValue(role), "--role");
            var (password, generated) = ReadOrGeneratePassword(parse, stdin);
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var account = await services.GetRequiredService<AccessService>().AddUserAsync(CliDatabase.Operator,
                parse.GetValue(name)!, parse.GetValue(display) ?? "", roles, password, ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { account.Id, account.UserName, account.DisplayName, roles = account.Roles.Select(r => r.Name()), password = generated ? password : null });
            }
            else
            {
                output.WriteLine($"created user {account.UserName} ({RoleNames.Format(account.Roles)})");
                if (generated)
                {
                    output.WriteLine($"password (shown once): {password}");
                }
            }

            return ExitCodes.Ok;
        });
        users.Add(add);

        var listDb = CommonOptions.Database();
        var listJson = CommonOptions.Json();
        var list = new Command("list", "List accounts.") { listDb, listJson };
        CliAction.Set(list, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, listDb, DatabaseUse.Read, ct);
            var accounts = await services.GetRequiredService<AccessService>().ListUsersAsync(CliDatabase.Operator, ct);
            if (parse.GetValue(listJson))
            {
                CliAction.WriteJson(parse, accounts.Select(a => new
                {
                    a.Id, a.UserName, a.DisplayName, roles = a.Roles.Select(r => r.Name()), a.Disabled,
                    lockedUntil = a.LockedUntil is { } l ? JournalTime.ToText(l) : null,
                }));
            }
            else
            {
                TextTable.Write(parse.InvocationConfiguration.Output, ["id", "user", "name", "roles", "status"],
                    accounts.Select(a => (IReadOnlyList<string>)[a.Id.ToString(CultureInfo.InvariantCulture), a.UserName, a.DisplayName,
                        RoleNames.Format(a.Roles), a.Disabled ? "disabled" : a.IsLockedAt(DateTimeOffset.UtcNow) ? "locked" : "active"]));
            }

            return ExitCodes.Ok;
        });
        users.Add(list);

        var disableName = new Argument<string>("user") { Description = "Login name." };
        var reason = new Option<string>("--reason") { Description = "Why (recorded on the journal).", Required = true };
        var disableDb = CommonOptions.Database();
        var disable = new Command("disable", "Disable an account; its sessions end at their next request.") { disableName, reason, disableDb };
        CliAction.Set(disable, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, disableDb, ct);
            var account = await services.GetRequiredService<AccessService>().DisableUserAsync(CliDatabase.Operator,
                parse.GetValue(disableName)!, parse.GetValue(reason)!, ct);
            parse.InvocationConfiguration.Output.WriteLine($"disabled user {account.UserName}");
            return ExitCodes.Ok;
        });
        users.Add(disable);

        var resetName = new Argument<string>("user") { Description = "Login name." };
        var resetStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from standard input instead of generating one." };
        var resetDb = CommonOptions.Database();
        var reset = new Command("reset-password", "Set a new password (and lift a lock-out). Prints a generated password once unless --password-stdin.") { resetName, resetStdin, resetDb };
        CliAction.Set(reset, async (parse, ct) =>
        {
            var (password, generated) = ReadOrGeneratePassword(parse, resetStdin);
            await using var services = await CliDatabase.OpenAsync(parse, resetDb, ct);
            var account = await services.GetRequiredService<AccessService>().ResetPasswordAsync(CliDatabase.Operator,
                parse.GetValue(resetName)!, password, null, ct);
            parse.InvocationConfiguration.Output.WriteLine($"password reset for {account.UserName}");
            if (generated)
            {
                parse.InvocationConfiguration.Output.WriteLine($"password (shown once): {password}");
            }

            return ExitCodes.Ok;
        });
        users.Add(reset);
        return users;
    }

    public static Command Tokens()
    {
        var tokens = new Command("tokens", "API tokens for machines (Authorization: Bearer …).");

        var user = new Option<string>("--user") { Description = "The account the token acts as.", Required = true };
        var expires = new Option<int>("--expires") { Description = "Days until the token expires (1 to 366).", Required = true };
        var name = new Option<string?>("--name") { Description = "What the token is for." };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var create = new Command("create", "Create a token; it is printed once and stored only as a hash.") { user, expires, name, db, json };
        CliAction.Set(create, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var issued = await services.GetRequiredService<AccessService>().CreateTokenAsync(CliDatabase.Operator,
                parse.GetValue(user)!, parse.GetValue(name) ?? "", parse.GetValue(expires), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { issued.Token.Id, token = issued.Secret, expiresAt = JournalTime.ToText(issued.Token.ExpiresAt) });
            }
            else
            {
                var output = parse.InvocationConfiguration.Output;
                output.WriteLine($"token {issued.Token.Id} for {parse.GetValue(user)}, expires {JournalTime.ToText(issued.Token.ExpiresAt)[..10]}");
                output.WriteLine($"secret (shown once): {issued.Secret}");
            }

            return ExitCodes.Ok;
        });
        tokens.Add(create);

        var listDb = CommonOptions.Database();
        var list = new Command("list", "List tokens (never their secrets).") { listDb };
        CliAction.Set(list, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, listDb, DatabaseUse.Read, ct);
            var access = services.GetRequiredService<AccessService>();
            var names = (await access.ListUsersAsync(CliDatabase.Operator, ct)).ToDictionary(u => u.Id, u => u.UserName);
            var now = DateTimeOffset.UtcNow;
            TextTable.Write(parse.InvocationConfiguration.Output, ["id", "user", "name", "expires", "status"],
                (await access.ListTokensAsync(CliDatabase.Operator, ct)).Select(t => (IReadOnlyList<string>)[
                    t.Id.ToString(CultureInfo.InvariantCulture), names.GetValueOrDefault(t.UserId, "?"), t.Name,
                    JournalTime.ToText(t.ExpiresAt)[..10],
                    t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= now ? "expired" : "active"]));
            return ExitCodes.Ok;
        });
        tokens.Add(list);

        var id = new Argument<long>("id") { Description = "Token id (from tokens list)." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded on the journal)." };
        var revokeDb = CommonOptions.Database();
        var revoke = new Command("revoke", "Revoke a token at once.") { id, reason, revokeDb };
        CliAction.Set(revoke, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, revokeDb, ct);
            await services.GetRequiredService<AccessService>().RevokeTokenAsync(CliDatabase.Operator, parse.GetValue(id), parse.GetValue(reason), ct);
            parse.InvocationConfiguration.Output.WriteLine($"revoked token {parse.GetValue(id)}");
            return ExitCodes.Ok;
        });
        tokens.Add(revoke);
        return tokens;
    }

    public static Command Audit()
    {
        var audit = new Command("audit", "The tamper-evident journal and its signed checkpoints.");
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var checkpoints = CheckpointsOption();
        var publicKey = PublicKeyOption();
        var requireAnchored = new Option<bool>("--require-anchored")
        {
            Description = "Also exit 3 when entries after the last checkpoint are not yet anchored (or no checkpoint log is configured).",
        };
        var verify = new Command("verify",
            "Recompute the hash chain and check it against the signed checkpoints. Exit 0 when intact; exit 3 naming the first entry that "
            + "does not verify, a missing tail, rewritten history or a forged checkpoint. Never creates or migrates a database.")
        { db, checkpoints, publicKey, requireAnchored, json };
        CliAction.Set(verify, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            using var witness = WitnessLog(parse, services, checkpoints, publicKey);
            var against = witness ?? services.GetService<IJournalCheckpoints>();
            var result = await services.GetRequiredService<AuditService>().VerifyAsync(CliDatabase.Operator, against, ct);
            var anchoring = result.Anchoring;
            var notAnchored = result.IsIntact && parse.GetValue(requireAnchored) && (anchoring is null || anchoring.Unanchored > 0);
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    intact = result.IsIntact,
                    result.Verified,
                    firstBroken = result.FirstBrokenSequence,
                    result.Problem,
                    anchored = anchoring is { IsBroken: false, Unanchored: 0 } && (anchoring.Checkpoints > 0 || result.Verified == 0),
                    anchoring,
                });
            }
            else
            {
                if (result.FirstBrokenSequence is null)
                {
                    output.WriteLine($"journal intact: {result.Verified} entries verified");
                }
                else
                {
                    error.WriteLine($"journal BROKEN: entry {result.FirstBrokenSequence} does not verify: {result.Problem} ({result.Verified} entries before it verified)");
                }

                WriteAnchoring(output, error, result, anchoring);
            }

            return result.IsIntact && !notAnchored ? ExitCodes.Ok : ExitCodes.IntegrityFailure;
        });
        audit.Add(verify);

        var checkpointDb = CommonOptions.Database();
        var checkpointJson = CommonOptions.Json();
        var checkpointLog = CheckpointsOption("Print from this checkpoint log (a witness's copy) instead of the configured Journal:CheckpointLog.");
        var checkpointKey = PublicKeyOption();
        var checkpoint = new Command("checkpoint",
            "Print the latest signed checkpoint of the journal (sequence, head hash, time, signature, key fingerprint), for a release record or a witness. "
            + "Exit 3 when the checkpoint log itself does not verify.")
        { checkpointDb, checkpointLog, checkpointKey, checkpointJson };
        CliAction.Set(checkpoint, async (parse, ct) =>
        {
            var settings = CliDatabase.Settings(parse, checkpointDb);
            using var log = OpenLog(parse, settings, checkpointLog, checkpointKey)
                ?? throw new CliInputException("no checkpoint log is configured (set Journal:CheckpointLog, or give --checkpoints FILE)");
            var reading = await log.ReadAsync(ct);
            if (reading.Lines.Count == 0)
            {
                throw new CliInputException($"no checkpoint in {reading.Source} (none is written until the journal has an entry)");
            }

            var check = CheckpointLogCheck.Of(reading);
            if (check.Checkpoints.Count == 0)
            {
                parse.InvocationConfiguration.Error.WriteLine($"checkpoint log BROKEN: {check.Problem}");
                return ExitCodes.IntegrityFailure;
            }

            var latest = check.Checkpoints[^1];
            if (parse.GetValue(checkpointJson))
            {
                CliAction.WriteJson(parse, new
                {
                    latest.Sequence,
                    latest.Head,
                    latest.Time,
                    latest.Previous,
                    latest.Signature,
                    latest.Key,
                    publicKey = reading.Key?.PublicKeyPem(),
                    format = JournalCheckpoint.FormatTag,
                    signedForm = latest.SignedForm(),
                    checkpointLog = reading.Source,
                    checkpoints = check.Checkpoints.Count,
                    signaturesChecked = check.SignaturesChecked,
                    problem = check.Problem,
                    warning = reading.KeyProblem,
                });
            }
            else
            {
                var output = parse.InvocationConfiguration.Output;
                output.WriteLine($"sequence:  {latest.Sequence}");
                output.WriteLine($"head:      {latest.Head}");
                output.WriteLine($"time:      {latest.Time}");
                output.WriteLine($"signature: {latest.Signature}");
                output.WriteLine($"key:       {latest.Key}");
                output.WriteLine($"log:       {reading.Source} ({check.Checkpoints.Count} checkpoints, signatures {(check.SignaturesChecked ? "verified" : "NOT checked")})");
                if (reading.KeyProblem is not null)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"warning: {reading.KeyProblem}");
                }

                if (check.Problem is not null)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"checkpoint log BROKEN after the checkpoint above: {check.Problem}");
                }
            }

            return check.Problem is null ? ExitCodes.Ok : ExitCodes.IntegrityFailure;
        });
        audit.Add(checkpoint);
        return audit;
    }

    private static Option<string?> CheckpointsOption(
        string description = "Check against this checkpoint log (a witness's copy) instead of the configured Journal:CheckpointLog.") =>
        new("--checkpoints") { Description = description };

    private static Option<string?> PublicKeyOption() => new("--public-key")
    {
        Description = "Verify checkpoint signatures with this PEM public key (a witness's copy) instead of the configured Journal:SigningKey.",
    };

    private static void WriteAnchoring(TextWriter output, TextWriter error, JournalVerification result, JournalAnchoring? anchoring)
    {
        if (anchoring is null)
        {
            output.WriteLine("checkpoints: not configured, so a cut tail or a rewritten history cannot be detected (set Journal:CheckpointLog)");
            return;
        }

        if (anchoring.Warning is not null)
        {
            error.WriteLine($"warning: {anchoring.Warning}");
        }

        if (anchoring.Problem is not null)
        {
            error.WriteLine($"journal BROKEN against its checkpoints ({anchoring.CheckpointLog}): {anchoring.Problem}");
        }

        if (anchoring.AnchoredSequence is { } anchored)
        {
            output.WriteLine($"anchored: up to entry {anchored} by the checkpoint of {anchoring.AnchoredTime} "
                + $"({anchoring.Checkpoints} checkpoints, signatures {(anchoring.SignaturesChecked ? "verified with key " + anchoring.KeyFingerprint : "NOT checked")})");
        }
        else if (result.Verified > 0)
        {
            output.WriteLine($"anchored: no checkpoint in {anchoring.CheckpointLog}");
        }

        if (anchoring.Unanchored > 0)
        {
            output.WriteLine($"not yet anchored: {anchoring.Unanchored} entries after entry {anchoring.AnchoredSequence ?? 0} "
                + "(written since the last checkpoint, or appended outside RadRegen)");
        }
    }

    /// <summary>The witness's log and key given on the command line, or null for the configured ones.</summary>
    private static Hosting.Journal.JournalCheckpointLog? WitnessLog(ParseResult parse, IServiceProvider services, Option<string?> checkpoints, Option<string?> publicKey)
    {
        if (parse.GetValue(checkpoints) is null && parse.GetValue(publicKey) is null)
        {
            return null;
        }

        return OpenLog(parse, services.GetRequiredService<Hosting.Configuration.RadRegenSettings>(), checkpoints, publicKey);
    }

    /// <summary>A checkpoint log for reading: the options' files where given, else the configured ones; null when none is configured.</summary>
    private static Hosting.Journal.JournalCheckpointLog? OpenLog(ParseResult parse, Hosting.Configuration.RadRegenSettings settings,
        Option<string?> checkpoints, Option<string?> publicKey)
    {
        var logPath = parse.GetValue(checkpoints);
        if (logPath is not null && !File.Exists(logPath))
        {
            throw new CliInputException($"--checkpoints: file not found: {Path.GetFullPath(logPath)}");
        }

        var keyPath = parse.GetValue(publicKey);
        if (keyPath is not null && !File.Exists(keyPath))
        {
            throw new CliInputException($"--public-key: file not found: {Path.GetFullPath(keyPath)}");
        }

        logPath ??= settings.Journal.CheckpointLog;
        keyPath ??= settings.Journal.SigningKey ?? (logPath is null ? null
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(logPath))!, Hosting.Configuration.JournalSettings.DefaultKeyFileName));
        return logPath is null || keyPath is null
            ? null
            : new Hosting.Journal.JournalCheckpointLog(logPath, keyPath, new RadRegen.Core.SystemClock());
    }

    private static (string Password, bool Generated) ReadOrGeneratePassword(ParseResult parse, Option<bool> stdin)
    {
        if (!parse.GetValue(stdin))
        {
            return (PasswordGenerator.Generate(), true);
        }

        var line = Console.In.ReadLine();
        if (string.IsNullOrEmpty(line))
        {
            throw new CliInputException("--password-stdin: no password on standard input");
        }

        return (line, false);
    }
}
