using Microsoft.Extensions.Configuration;
using RadRegen.Hla;
using RadRegen.Hla.ReferenceFiles;

namespace RadRegen.Hosting.Hla;

/// <summary>The state of one of the operator's reference files for the workbench.</summary>
/// <param name="File">The file's usual name (<c>rel_dna_ser.txt</c>, <c>alpha.v3.txt</c>).</param>
/// <param name="Needed">What it resolves.</param>
/// <param name="Loaded">Whether it is loaded.</param>
/// <param name="Detail">Its version when loaded; otherwise why not (not configured, missing, refused).</param>
public sealed record ReferenceFileState(string File, string Needed, bool Loaded, string Detail);

/// <summary>
/// The operator's IPD-IMGT/HLA WMDA files and NMDP MAC file for the HLA workbench, read once at
/// start from the settings <c>Hla:ImgtDirectory</c> (folder with <c>hla_nom_g.txt</c>,
/// <c>hla_nom_p.txt</c>, <c>rel_dna_ser.txt</c>, <c>rel_ser_ser.txt</c>) and <c>Hla:MacFile</c>
/// (<c>alpha.v3.txt</c>), the same files <c>radregen hla match --imgt-dir/--mac</c> reads. Their
/// owners ask that they not be mirrored, so RadRegen ships none: without them the workbench says
/// which file a name needs (docs/hla.md). A file that does not read is reported, not fatal: care and
/// bank never use these files (they accept only what needs none, issue 12 item 5).
/// </summary>
public sealed class HlaReferenceFiles
{
    private HlaReferenceFiles(HlaReferenceData? data, IReadOnlyList<ReferenceFileState> files)
    {
        Data = data;
        Files = files;
    }

    /// <summary>The loaded data, or null when no file is loaded.</summary>
    public HlaReferenceData? Data { get; }

    /// <summary>Each file and whether it is loaded.</summary>
    public IReadOnlyList<ReferenceFileState> Files { get; }

    /// <summary>No file loaded (the server's default).</summary>
    public static HlaReferenceFiles None { get; } = Load(null, null);

    /// <summary>Reads the files named by the settings <c>Hla:ImgtDirectory</c> and <c>Hla:MacFile</c>.</summary>
    public static HlaReferenceFiles FromConfiguration(IConfiguration? configuration) =>
        Load(configuration?["Hla:ImgtDirectory"], configuration?["Hla:MacFile"]);

    /// <summary>Reads the files; each that is missing or refused is reported in <see cref="Files"/>.</summary>
    public static HlaReferenceFiles Load(string? imgtDirectory, string? macFile)
    {
        var states = new List<ReferenceFileState>();
        imgtDirectory = string.IsNullOrWhiteSpace(imgtDirectory) ? null : imgtDirectory;
        macFile = string.IsNullOrWhiteSpace(macFile) ? null : macFile;

        T? Read<T>(string? dir, string name, string needed, Func<TextReader, string, T> parse, Func<T, string?> version) where T : class
        {
            if (dir is null)
            {
                states.Add(new(name, needed, false, "not loaded: the setting Hla:ImgtDirectory names no folder"));
                return null;
            }

            var path = Path.Combine(dir, name);
            return ReadFile(path, name, needed, parse, version);
        }

        T? ReadFile<T>(string path, string name, string needed, Func<TextReader, string, T> parse, Func<T, string?> version) where T : class
        {
            if (!File.Exists(path))
            {
                states.Add(new(name, needed, false, $"not loaded: {path} does not exist"));
                return null;
            }

            try
            {
                using var reader = new StreamReader(path);
                var file = parse(reader, path);
                states.Add(new(name, needed, true, version(file) ?? "loaded (no version line)"));
                return file;
            }
            catch (HlaInputException ex)
            {
                states.Add(new(name, needed, false, "refused: " + ex.Message));
                return null;
            }
        }

        var g = Read(imgtDirectory, "hla_nom_g.txt", "G groups", (r, p) => AlleleGroupFile.Parse(r, p, 'G'), f => f.Header.Version);
        var p = Read(imgtDirectory, "hla_nom_p.txt", "P groups and the P-group level", (r, s) => AlleleGroupFile.Parse(r, s, 'P'), f => f.Header.Version);
        var ds = Read(imgtDirectory, "rel_dna_ser.txt", "serological antigens", DnaSerologyFile.Parse, f => f.Header.Version);
        var ss = Read(imgtDirectory, "rel_ser_ser.txt", "splits and associated antigens of serological antigens", SerologyRelationFile.Parse, f => f.Header.Version);
        MacFile? macs;
        if (macFile is null)
        {
            states.Add(new("alpha.v3.txt", "NMDP MAC codes", false, "not loaded: the setting Hla:MacFile names no file"));
            macs = null;
        }
        else
        {
            macs = ReadFile(macFile, "alpha.v3.txt", "NMDP MAC codes", MacFile.Parse, f => "MAC " + (f.LastUpdated ?? "unknown date"));
        }

        var data = g is null && p is null && ds is null && ss is null && macs is null ? null : new HlaReferenceData(g, p, ds, ss, macs);

        return new HlaReferenceFiles(data, states);
    }
}
