namespace RadRegen.Core.Tests;

/// <summary>The checkout the tests were built from, for checks on the repository's own files.</summary>
internal static class SourceTree
{
    /// <summary>Build output, npm packages, copied front-end libraries and git metadata: not sources.</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj", "node_modules", ".git", "TestResults", "lib" };

    /// <summary>The first folder above the test assembly holding RadRegen.slnx.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RadRegen.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no RadRegen.slnx above {AppContext.BaseDirectory}: these checks read the source tree");
    }

    /// <summary>Every file under <paramref name="folder"/>, skipping the folders that are not sources.</summary>
    public static IEnumerable<string> Files(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
            yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder).Where(d => !SkippedFolders.Contains(Path.GetFileName(d))))
        {
            foreach (var file in Files(sub))
                yield return file;
        }
    }

    /// <summary>The path relative to the root, with forward slashes.</summary>
    public static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
