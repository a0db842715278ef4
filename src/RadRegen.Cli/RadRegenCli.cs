using System.CommandLine;
using RadRegen.Cli.Infrastructure;

namespace RadRegen.Cli;

/// <summary>The <c>radregen</c> command tree.</summary>
internal static class RadRegenCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("RadRegen: cell bank, HLA, dose assessment and emergency care for radiation-emergency regenerative therapy.");
        root.Add(GlobalOptions.Config());
        root.Add(GlobalOptions.Setting());
        // Command groups register here, one line each.
        root.Add(ServeCommand.Create());
        root.Add(Admin.ConfigCommand.Create());
        root.Add(Admin.AdminCommands.Users());
        root.Add(Admin.AdminCommands.Tokens());
        root.Add(Admin.AdminCommands.Audit());
        root.Add(Hla.HlaCommands.Create());
        root.Add(Dose.DoseCommands.Create());
        root.Add(Dose.ArsCommands.Create());
        root.Add(Bank.BankCommands.Create());
        root.Add(Care.CareCommands.Incident());
        root.Add(Care.CareCommands.Triage());
        root.Add(Care.CareCommands.Allocate());
        root.Add(Care.DrillCommand.Create());
        root.Add(Training.ExerciseCommands.Create());
        root.Add(Network.NetworkCommands.Create());
        root.Add(Hub.HubCommands.Create());
        root.Add(Training.TrainingCommands.Create());
        root.Add(Plan.PlanCommands.Create());
        VersionReport.Install(root);
        return root;
    }

    /// <summary>Parses and runs; usage errors exit 2 (System.CommandLine's own default is 1).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var root = Build();
        var parse = root.Parse(args);
        var config = new InvocationConfiguration();
        if (output is not null)
        {
            config.Output = output;
        }

        if (error is not null)
        {
            config.Error = error;
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                config.Error.WriteLine($"error: {e.Message}");
            }

            config.Error.WriteLine("Run 'radregen --help' (or the command with --help) for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(config);
    }
}
