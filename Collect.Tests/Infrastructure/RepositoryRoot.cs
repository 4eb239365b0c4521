namespace Collect.Tests.Infrastructure;

/// <summary>The clone the tests run from (the folder holding Collect.sln), for tests that read the project's own files.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Collect.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (Collect.sln) was not found above " + AppContext.BaseDirectory);
    }
}
