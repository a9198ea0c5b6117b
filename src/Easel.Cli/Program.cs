using Easel.Cli;

return await EaselCli.RunAsync(args, CliConsole.ForProcess(), Environment.GetEnvironmentVariable);
