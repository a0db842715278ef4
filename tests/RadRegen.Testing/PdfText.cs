using System.Diagnostics;
using System.Text;

namespace RadRegen.Testing;

/// <summary>
/// A PDF read back as text with Debian's <c>pdftotext</c> (poppler-utils), so that tests check what a
/// reader sees. A missing <c>pdftotext</c> fails the test with the package to install — it never skips
/// (.ci/run installs poppler-utils; docs/reports.md).
/// </summary>
public static class PdfText
{
    /// <summary>The whole document's text; pages are separated by form feeds (<c>\f</c>).</summary>
    /// <param name="layout">Keep the physical layout (columns of a table on one line).</param>
    public static string Extract(byte[] pdf, bool layout = false)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var file = Path.Combine(Path.GetTempPath(), $"radregen-pdf-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var start = new ProcessStartInfo(Tool(), layout ? ["-enc", "UTF-8", "-layout", file, "-"] : ["-enc", "UTF-8", file, "-"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftotext did not start.");
            var errors = process.StandardError.ReadToEndAsync();
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pdftotext failed ({process.ExitCode}): {errors.Result}");
            }

            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The text of each page, in order.</summary>
    public static IReadOnlyList<string> Pages(byte[] pdf, bool layout = false)
    {
        var pages = Extract(pdf, layout).Split('\f');
        // pdftotext ends the last page with a form feed too.
        return pages.Length > 1 && pages[^1].Trim().Length == 0 ? pages[..^1] : pages;
    }

    /// <summary>Text with runs of white space (line breaks of wrapped cells, layout gaps) made one space.</summary>
    public static string Flat(string text) =>
        string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Tool()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "pdftotext");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "pdftotext is not installed: the PDF report tests read the PDFs back with Debian's poppler-utils (apt-get install poppler-utils). They fail rather than skip.");
    }
}
