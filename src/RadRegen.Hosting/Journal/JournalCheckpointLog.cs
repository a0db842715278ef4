using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Storage;

namespace RadRegen.Hosting.Journal;

/// <summary>
/// The checkpoint log outside the database (ADR 0019): one signed JSON line per checkpoint, appended
/// by a background writer that each committed unit of work which appended to the journal tells its
/// new head. Commits only note the head (no I/O, no lock held): the writer signs the newest head it
/// has been told of, so under load one checkpoint covers many commits. The last head is written when
/// the process shuts down (the service provider is disposed).
/// </summary>
/// <remarks>
/// The log is appended under an exclusive lock on the file (flock on Unix), so the server and a
/// command run beside it never interleave lines; each line carries the hash of the line before it.
/// The signing key is created on first use (mode 0600) and never created by commands that only read.
/// Folders are not created: a log or key in a folder that does not exist is a logged error (so a
/// writer that outlives its folder — a test's temporary one — does not bring it back).
/// </remarks>
public sealed partial class JournalCheckpointLog : IJournalCheckpoints, IJournalHeadObserver, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(10);

    private readonly IClock _clock;
    private readonly ILogger _log;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private readonly Lock _writing = new();
    private (long Sequence, string Hash) _pending = (0, "");
    private long _written;
    private Task? _writer;
    private CheckpointKey? _key;
    private bool _disposed;

    public JournalCheckpointLog(string logPath, string keyPath, IClock clock, ILogger<JournalCheckpointLog>? log = null)
    {
        ArgumentNullException.ThrowIfNull(logPath);
        ArgumentNullException.ThrowIfNull(keyPath);
        LogPath = Path.GetFullPath(logPath);
        KeyPath = Path.GetFullPath(keyPath);
        _clock = clock;
        _log = (ILogger?)log ?? NullLogger.Instance;
    }

    public string LogPath { get; }

    public string KeyPath { get; }

    /// <summary>The last failure to write a checkpoint (also logged), or null.</summary>
    public Exception? LastError { get; private set; }

    public void Committed(long sequence, string hash)
    {
        lock (_gate)
        {
            if (_disposed || sequence <= _pending.Sequence)
            {
                return;
            }

            _pending = (sequence, hash);
            _writer ??= Task.Run(WriteLoopAsync);
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Writes the newest head noted so far, now (tests; shutdown).</summary>
    public Task FlushAsync() => Task.Run(WritePending);

    public async ValueTask DisposeAsync()
    {
        Task? writer;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            writer = _writer;
        }

        _wake.Writer.TryComplete();
        if (writer is not null)
        {
            await writer;
        }

        // On shutdown: whatever the loop had not reached yet.
        WritePending();
        _key?.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async Task<CheckpointLogReading> ReadAsync(CancellationToken cancellationToken = default)
    {
        var lines = new List<string>();
        if (File.Exists(LogPath))
        {
            using var stream = await OpenLockedAsync(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, cancellationToken);
            using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
            var text = await reader.ReadToEndAsync(cancellationToken);
            var complete = text.EndsWith('\n') ? text : text[..(text.LastIndexOf('\n') + 1)];
            lines.AddRange(complete.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        }

        if (!File.Exists(KeyPath))
        {
            return new CheckpointLogReading(LogPath, lines, null,
                lines.Count > 0 ? $"signing key file not found: {KeyPath}; checkpoint signatures were not checked" : null);
        }

        try
        {
            return new CheckpointLogReading(LogPath, lines, CheckpointKey.FromPem(await File.ReadAllTextAsync(KeyPath, cancellationToken)), null);
        }
        catch (FormatException ex)
        {
            return new CheckpointLogReading(LogPath, lines, null, $"the key file {KeyPath} is not usable ({ex.Message}); checkpoint signatures were not checked");
        }
    }

    /// <summary>The key, read or (first use by a writer) created with mode 0600.</summary>
    public CheckpointKey SigningKey()
    {
        lock (_writing)
        {
            return LoadOrCreateKey();
        }
    }

    private CheckpointKey LoadOrCreateKey()
    {
        if (_key is not null)
        {
            return _key;
        }

        if (!File.Exists(KeyPath))
        {
            // Written to a private temporary file and renamed into place, so that a reader never
            // sees half a key and two processes starting together end up with one key.
            using var created = CheckpointKey.Create();
            var temporary = KeyPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(created.PrivateKeyPem() + "\n"));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, KeyPath, overwrite: false);
                KeyCreated(_log, KeyPath, created.Fingerprint);
            }
            catch (IOException) when (File.Exists(KeyPath))
            {
                File.Delete(temporary); // another process created it first: use theirs
            }
        }

        var key = CheckpointKey.FromPem(File.ReadAllText(KeyPath));
        if (!key.HasPrivateKey)
        {
            key.Dispose();
            throw new InvalidOperationException($"the signing key file {KeyPath} holds a public key only; checkpoints need the private key");
        }

        _key = key;
        return key;
    }

    private async Task WriteLoopAsync()
    {
        while (await _wake.Reader.WaitToReadAsync())
        {
            _wake.Reader.TryRead(out _);
            WritePending();
        }
    }

    private void WritePending()
    {
        lock (_writing)
        {
            (long Sequence, string Hash) head;
            lock (_gate)
            {
                head = _pending;
            }

            if (head.Sequence <= _written)
            {
                return;
            }

            try
            {
                Append(head.Sequence, head.Hash);
                _written = head.Sequence;
                LastError = null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException
                or System.Security.Cryptography.CryptographicException)
            {
                // The commit has happened; a checkpoint that could not be written is reported, and
                // the next commit's checkpoint (which covers this one) tries again.
                LastError = ex;
                CheckpointFailed(_log, ex, LogPath, head.Sequence);
            }
        }
    }

    private void Append(long sequence, string hash)
    {
        var key = SigningKey();
        using var stream = OpenLockedAsync(LogPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, CancellationToken.None)
            .GetAwaiter().GetResult();
        var (lastLine, completeLength) = ReadLastLine(stream);
        if (completeLength < stream.Length)
        {
            // A line cut short by a crash was never a checkpoint (its write had not returned).
            stream.SetLength(completeLength);
        }

        if (lastLine is not null && JournalCheckpoint.Parse(lastLine).Sequence >= sequence)
        {
            return; // another process already anchored this entry or a later one, which covers it
        }

        var line = key.Sign(sequence, hash, _clock.UtcNow, lastLine).ToLine();
        stream.Seek(0, SeekOrigin.End);
        stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The last complete line and the length of the file up to its end (reads backwards, never the whole log).</summary>
    private static (string? Line, long CompleteLength) ReadLastLine(FileStream stream)
    {
        var length = stream.Length;
        if (length == 0)
        {
            return (null, 0);
        }

        // Find the last new-line (end of the last complete line), then the one before it.
        var end = LastNewLine(stream, length);
        if (end < 0)
        {
            return (null, 0);
        }

        var start = LastNewLine(stream, end) + 1;
        var bytes = new byte[end - start];
        stream.Seek(start, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        var line = Encoding.UTF8.GetString(bytes).TrimEnd('\r');
        return (line.Length > 0 ? line : null, end + 1);
    }

    /// <summary>The position of the last '\n' before <paramref name="before"/>, or -1.</summary>
    private static long LastNewLine(FileStream stream, long before)
    {
        var buffer = new byte[4096];
        var position = before;
        while (position > 0)
        {
            var size = (int)Math.Min(buffer.Length, position);
            position -= size;
            stream.Seek(position, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, size);
            var index = Array.LastIndexOf(buffer, (byte)'\n', size - 1);
            if (index >= 0)
            {
                return position + index;
            }
        }

        return -1;
    }

    private static async Task<FileStream> OpenLockedAsync(string path, FileMode mode, FileAccess access, FileShare share, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockPatience;
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
                if (!OperatingSystem.IsWindows() && mode != FileMode.Open && (access & FileAccess.Write) != 0)
                {
                    // A log the service creates is readable by the service account only (issue 12 item 10).
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                return new FileStream(path, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(path))
            {
                // Held by a writer in this or another process (a sharing violation): wait briefly.
                await Task.Delay(5, ct);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Created the journal checkpoint signing key {Path} ({Fingerprint}); back it up apart from the database")]
    private static partial void KeyCreated(ILogger logger, string path, string fingerprint);

    [LoggerMessage(LogLevel.Error, "Could not write the journal checkpoint log {Path} for entry {Sequence}")]
    private static partial void CheckpointFailed(ILogger logger, Exception exception, string path, long sequence);
}
