using RadRegen.Cli;

return await RadRegenCli.RunAsync(args);
