using Collect.Bench;

// Benchmarks for DESIGN.md §15; see bench/README.md. Exit code: 0 when every judged measurement meets its target,
// 1 when one misses it or could not be taken, 2 for a usage error.
if (IntakeOptions.Handles(args)) return await IntakeSupport.MainAsync(args); // intake, processing: their own options (IntakeOptions.cs)
var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    if (error is not null) Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchOptions.Usage);
    return error is null ? 0 : 2;
}

return options.Scenario switch
{
    "servers" => await ServersBench.RunAsync(options),
    "subnets" => await SubnetsBench.RunAsync(options),
    _ => 2,
};
