using System.Text.RegularExpressions;

namespace RadRegen.Core.Tests;

/// <summary>
/// Docs and comments cite only what a clone has: every repository path they name
/// (<c>docs/…</c>, <c>reference/…</c>, <c>src/…</c>, <c>tests/…</c>, <c>scripts/…</c>, <c>bench/…</c>)
/// exists. Build output (<c>bin/</c>, <c>obj/</c>) and placeholders (<c>NNNN</c>) are not citations.
/// </summary>
public sealed partial class DocumentationPathTests
{
    private static readonly HashSet<string> CitingExtensions = new(StringComparer.OrdinalIgnoreCase) { ".md", ".cs", ".cshtml", ".csproj", ".props", ".sh" };

    [Fact]
    public void Every_repository_path_cited_in_docs_and_code_exists()
    {
        var root = SourceTree.Root();
        var missing = new List<string>();
        foreach (var file in SourceTree.Files(root).Where(f => CitingExtensions.Contains(Path.GetExtension(f))))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in CitedPath().Matches(lines[i]))
                {
                    var path = m.Value.TrimEnd('.');
                    if (path.Contains("/bin/", StringComparison.Ordinal) || path.Contains("/obj/", StringComparison.Ordinal)
                        || path.Contains("NNNN", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var full = Path.Combine(root, path);
                    if (!File.Exists(full) && !Directory.Exists(full))
                    {
                        missing.Add($"{SourceTree.Relative(root, file)}:{i + 1}: {path}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "Cited paths the repository lacks (write the file or cite the repository's own copy):\n" + string.Join("\n", missing));
    }

    [GeneratedRegex(@"(?<![\w./-])(?:docs|reference|src|tests|scripts|bench)/[\w./-]*[\w/]")]
    private static partial Regex CitedPath();
}
