using System.Xml.Linq;

namespace RadRegen.Core.Tests;

/// <summary>
/// The dependency rule of docs/architecture.md, checked on the project files: dependencies point
/// downwards, and nothing but the web and browser tests (and the CLI, for <c>serve</c>) builds the
/// web project with its pages and npm.
/// </summary>
public class DependencyRuleTests
{
    private static readonly string Root = FindRoot();

    [Theory]
    [InlineData("src/RadRegen.Hla/RadRegen.Hla.csproj")]
    [InlineData("src/RadRegen.Dosimetry/RadRegen.Dosimetry.csproj")]
    [InlineData("src/RadRegen.Core/RadRegen.Core.csproj")]
    public void The_scientific_libraries_and_the_kernel_reference_nothing_of_ours(string project) =>
        Assert.Empty(References(project));

    [Theory]
    [InlineData("src/RadRegen.Storage/RadRegen.Storage.csproj", "RadRegen.Hla", "RadRegen.Dosimetry", "RadRegen.Web", "RadRegen.Hosting")]
    [InlineData("src/RadRegen.Web/RadRegen.Web.csproj", "RadRegen.Cli")]
    [InlineData("src/RadRegen.Training/RadRegen.Training.csproj", "RadRegen.Web", "RadRegen.Hosting", "RadRegen.Storage", "RadRegen.Cli")]
    [InlineData("src/RadRegen.Planning/RadRegen.Planning.csproj", "RadRegen.Web", "RadRegen.Hosting", "RadRegen.Storage", "RadRegen.Cli")]
    [InlineData("src/RadRegen.Reports/RadRegen.Reports.csproj", "RadRegen.Web", "RadRegen.Hosting", "RadRegen.Storage", "RadRegen.Cli")]
    [InlineData("src/RadRegen.Hosting/RadRegen.Hosting.csproj", "RadRegen.Web", "RadRegen.Cli")]
    [InlineData("src/RadRegen.Fhir/RadRegen.Fhir.csproj", "RadRegen.Web", "RadRegen.Hosting", "RadRegen.Storage", "RadRegen.Cli")]
    public void A_project_does_not_reference_what_it_does_not_use(string project, params string[] forbidden) =>
        Assert.Empty(References(project).Intersect(forbidden));

    [Theory]
    [InlineData("tests/RadRegen.Testing/RadRegen.Testing.csproj")]
    [InlineData("tests/RadRegen.Core.Tests/RadRegen.Core.Tests.csproj")]
    [InlineData("tests/RadRegen.Hla.Tests/RadRegen.Hla.Tests.csproj")]
    [InlineData("tests/RadRegen.Dosimetry.Tests/RadRegen.Dosimetry.Tests.csproj")]
    [InlineData("tests/RadRegen.Bank.Tests/RadRegen.Bank.Tests.csproj")]
    [InlineData("tests/RadRegen.Care.Tests/RadRegen.Care.Tests.csproj")]
    [InlineData("tests/RadRegen.Storage.Tests/RadRegen.Storage.Tests.csproj")]
    [InlineData("tests/RadRegen.Network.Tests/RadRegen.Network.Tests.csproj")]
    [InlineData("tests/RadRegen.Fhir.Tests/RadRegen.Fhir.Tests.csproj")]
    [InlineData("tests/RadRegen.Training.Tests/RadRegen.Training.Tests.csproj")]
    [InlineData("tests/RadRegen.Planning.Tests/RadRegen.Planning.Tests.csproj")]
    [InlineData("tests/RadRegen.Reports.Tests/RadRegen.Reports.Tests.csproj")]
    public void Domain_and_storage_tests_never_build_the_web_project(string project) =>
        Assert.DoesNotContain("RadRegen.Web", TransitiveReferences(project));

    private static IEnumerable<string> References(string project) =>
        ProjectPaths(Path.Combine(Root, project)).Select(p => Path.GetFileNameWithoutExtension(p));

    private static HashSet<string> TransitiveReferences(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.Combine(Root, project)]);
        while (pending.Count > 0)
        {
            foreach (var next in ProjectPaths(pending.Pop()))
            {
                if (seen.Add(Path.GetFileNameWithoutExtension(next)))
                {
                    pending.Push(next);
                }
            }
        }

        return seen;
    }

    private static IEnumerable<string> ProjectPaths(string csproj)
    {
        Assert.True(File.Exists(csproj), $"no project file {csproj}");
        var directory = Path.GetDirectoryName(csproj)!;
        return XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFullPath(Path.Combine(directory, (string)e.Attribute("Include")!)))
            .ToList();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RadRegen.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (RadRegen.slnx) is not above the test's folder");
    }
}
