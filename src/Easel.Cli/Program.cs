using System.Collections;
using Easel.Cli;

var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal);
return await EaselCli.RunAsync(args, CliConsole.ForProcess(), environment);
