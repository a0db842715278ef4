using System.Text;
using RadRegen.Network.Privacy;

namespace RadRegen.Hosting.Network;

/// <summary>
/// This center's network keys in their file (<c>Network:KeyFile</c>, ADR 0029), read or — on first
/// use — created the way the journal's signing key is (ADR 0019): written with mode 0600 to a private
/// temporary file and renamed into place, so a reader never sees half a key and two processes
/// starting together end up with one pair.
/// </summary>
public static class NetworkKeyFile
{
    /// <summary>Reads the keys at <paramref name="path"/>, creating the file first when there is none.</summary>
    public static CenterKeys LoadOrCreate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            using var created = CenterKeys.Create();
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(created.ToPem()));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another process created it first: use theirs
            }
        }

        return CenterKeys.FromPem(File.ReadAllText(path));
    }
}
