using Collect.Core.Backups;

namespace Collect.Web.Backups;

/// <summary>
/// <c>dotnet run --project Collect.Web -- restore &lt;archive&gt;</c>: brings the database and the file store back from a
/// backup archive, with the same settings (appsettings, environment, command line) that Collect itself would use. Runs
/// instead of the web host; Collect must be stopped meanwhile.
/// </summary>
internal static class RestoreCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            Console.Error.WriteLine("Usage: dotnet run --project Collect.Web -- restore <archive.tar.gz> [--ConnectionStrings:Collect=...] [--Collect:Files:Directory=...]");
            return 2;
        }
        var archive = Path.GetFullPath(args[0]);
        // The host's own configuration sources and content root, without starting anything.
        var builder = WebApplication.CreateBuilder(args[1..]);
        var paths = CollectDataPaths.From(builder.Configuration, builder.Environment.ContentRootPath);
        Console.WriteLine($"Restoring {archive}");
        Console.WriteLine($"  database:   {paths.DatabasePath}");
        Console.WriteLine($"  file store: {paths.FilesDirectory}");
        Console.WriteLine("Collect must not be running meanwhile. Checking every entry of the archive first...");

        var outcome = await new BackupRestorer(TimeProvider.System).RestoreAsync(archive, paths);
        if (!outcome.Restored)
        {
            Console.Error.WriteLine(outcome.Message);
            return 1;
        }
        Console.WriteLine(outcome.Message);
        if (outcome.PreviousDatabase is not null) Console.WriteLine($"The replaced database was kept as {outcome.PreviousDatabase}");
        if (outcome.PreviousFiles is not null) Console.WriteLine($"The replaced file store was kept as {outcome.PreviousFiles}");
        Console.WriteLine("Start Collect again: dotnet run --project Collect.Web");
        return 0;
    }
}
