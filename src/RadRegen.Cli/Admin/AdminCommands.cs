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
            await using var services = await CliDatabase.OpenAsync(parse, listDb, ct);
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
            await using var services = await CliDatabase.OpenAsync(parse, listDb, ct);
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
        var audit = new Command("audit", "The tamper-evident journal.");
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var verify = new Command("verify", "Recompute the hash chain. Exit 0 when intact; exit 3 naming the first entry that does not verify.") { db, json };
        CliAction.Set(verify, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var result = await services.GetRequiredService<AuditService>().VerifyAsync(CliDatabase.Operator, ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { intact = result.IsIntact, result.Verified, firstBroken = result.FirstBrokenSequence, result.Problem });
            }
            else if (result.IsIntact)
            {
                parse.InvocationConfiguration.Output.WriteLine($"journal intact: {result.Verified} entries verified");
            }
            else
            {
                parse.InvocationConfiguration.Error.WriteLine(
                    $"journal BROKEN: entry {result.FirstBrokenSequence} does not verify: {result.Problem} ({result.Verified} entries before it verified)");
            }

            return result.IsIntact ? ExitCodes.Ok : ExitCodes.IntegrityFailure;
        });
        audit.Add(verify);
        return audit;
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
