namespace RadRegen.Core.Journal;

/// <summary>The checkpoint log as read for verification, and the key to check its signatures with.</summary>
/// <param name="Source">Where the log is (a path), for messages.</param>
/// <param name="Lines">Its complete lines, in order (none when there is no log yet). A last line cut short by a crash is left out.</param>
/// <param name="Key">The key whose public half verifies the signatures; null when it could not be read (then <paramref name="KeyProblem"/> says why).</param>
/// <param name="KeyProblem">Why the signatures cannot be checked, or null.</param>
public sealed record CheckpointLogReading(string Source, IReadOnlyList<string> Lines, CheckpointKey? Key, string? KeyProblem);

/// <summary>Where checkpoints of the journal are kept: a log outside the database (ADR 0019).</summary>
public interface IJournalCheckpoints
{
    /// <summary>Reads the log and the verifying key; never creates either.</summary>
    Task<CheckpointLogReading> ReadAsync(CancellationToken cancellationToken = default);
}

/// <summary>The checkpoint log's own integrity: each line parses, follows the line before it and carries a valid signature.</summary>
/// <param name="Checkpoints">The lines that passed, up to the first that did not.</param>
/// <param name="Problem">What is wrong with the first line that did not pass, or null.</param>
/// <param name="SignaturesChecked">False when no key was available (then only the chain of lines was checked).</param>
public sealed record CheckpointLogCheck(IReadOnlyList<JournalCheckpoint> Checkpoints, string? Problem, bool SignaturesChecked)
{
    public static CheckpointLogCheck Of(CheckpointLogReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var valid = new List<JournalCheckpoint>();
        string? previousLine = null;
        for (var i = 0; i < reading.Lines.Count; i++)
        {
            var line = reading.Lines[i];
            var n = i + 1;
            JournalCheckpoint checkpoint;
            try
            {
                checkpoint = JournalCheckpoint.Parse(line);
            }
            catch (FormatException ex)
            {
                return new(valid, $"checkpoint log line {n} is not a checkpoint: {ex.Message}", reading.Key is not null);
            }

            var expectedPrevious = previousLine is null ? JournalCheckpoint.GenesisPrevious : JournalCheckpoint.LineHash(previousLine);
            string? problem = null;
            if (!string.Equals(checkpoint.Previous, expectedPrevious, StringComparison.Ordinal))
            {
                problem = n == 1
                    ? "checkpoint log line 1 does not begin a log (lines before it were removed)"
                    : $"checkpoint log line {n} does not follow line {n - 1} (a checkpoint was removed, inserted or altered)";
            }
            else if (reading.Key is { } key && !string.Equals(checkpoint.Key, key.Fingerprint, StringComparison.Ordinal))
            {
                problem = $"checkpoint log line {n} is signed by key {checkpoint.Key}, not by the configured key {key.Fingerprint}";
            }
            else if (reading.Key is { } verifier && !verifier.Verifies(checkpoint))
            {
                problem = $"checkpoint log line {n}: the signature does not verify (a forged or altered checkpoint)";
            }
            else if (valid.Count > 0 && checkpoint.Sequence <= valid[^1].Sequence)
            {
                problem = $"checkpoint log line {n} anchors entry {checkpoint.Sequence}, not after the {valid[^1].Sequence} of the line before";
            }

            if (problem is not null)
            {
                return new(valid, problem, reading.Key is not null);
            }

            valid.Add(checkpoint);
            previousLine = line;
        }

        return new(valid, null, reading.Key is not null);
    }
}

/// <summary>
/// The journal checked against its checkpoints while the chain is walked: each checkpointed entry
/// must still have the hash the checkpoint signed, and the journal must still reach the last one.
/// </summary>
public sealed class JournalAnchorCheck
{
    private readonly CheckpointLogReading _reading;
    private readonly CheckpointLogCheck _log;
    private readonly Dictionary<long, JournalCheckpoint> _bySequence = [];
    private string? _rewritten;

    public JournalAnchorCheck(CheckpointLogReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        _reading = reading;
        _log = CheckpointLogCheck.Of(reading);
        foreach (var checkpoint in _log.Checkpoints)
        {
            _bySequence[checkpoint.Sequence] = checkpoint;
        }
    }

    /// <summary>Called for each entry the chain accepted.</summary>
    public void Accepted(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_rewritten is null && _bySequence.TryGetValue(entry.Sequence, out var checkpoint)
            && !string.Equals(checkpoint.Head, entry.Hash, StringComparison.Ordinal))
        {
            _rewritten = $"entry {entry.Sequence} is not the entry the checkpoint of {checkpoint.Time} anchored "
                + "(its hash differs: the journal's history was rewritten)";
        }
    }

    public JournalAnchoring Finish(JournalVerification chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var last = _log.Checkpoints.Count > 0 ? _log.Checkpoints[^1] : null;
        var problems = new List<string>();
        if (_rewritten is not null)
        {
            problems.Add(_rewritten);
        }

        if (chain.IsIntact && last is not null && last.Sequence > chain.Verified)
        {
            problems.Add(chain.Verified == 0
                ? $"the journal is empty but the checkpoint of {last.Time} anchored entry {last.Sequence} (the journal was deleted)"
                : $"the journal ends at entry {chain.Verified} but the checkpoint of {last.Time} anchored entry {last.Sequence}: "
                    + $"{last.Sequence - chain.Verified} entries are missing (the tail was cut)");
        }

        if (_log.Problem is not null)
        {
            problems.Add(_log.Problem);
        }

        var unanchored = chain.IsIntact ? Math.Max(0, chain.Verified - (last?.Sequence ?? 0)) : 0;
        return new JournalAnchoring(_reading.Source, _log.Checkpoints.Count, last?.Sequence, last?.Time, unanchored,
            _reading.Key?.Fingerprint, _log.SignaturesChecked, _reading.KeyProblem,
            problems.Count > 0 ? string.Join("; ", problems) : null);
    }
}

/// <summary>How the journal stands against its checkpoints.</summary>
/// <param name="CheckpointLog">Where the checkpoints were read from.</param>
/// <param name="Checkpoints">Checkpoints that verified.</param>
/// <param name="AnchoredSequence">The entry the last of them anchors, or null when there is none.</param>
/// <param name="AnchoredTime">When that checkpoint was signed.</param>
/// <param name="Unanchored">Entries after the last checkpoint: written since (the server checkpoints within a moment), or appended outside RadRegen.</param>
/// <param name="KeyFingerprint">The verifying key's fingerprint, or null when no key was read.</param>
/// <param name="SignaturesChecked">False when there was no key to check signatures with.</param>
/// <param name="Warning">Why signatures were not checked, or null.</param>
/// <param name="Problem">What contradicts the checkpoints (a missing tail, rewritten history, a forged checkpoint), or null.</param>
public sealed record JournalAnchoring(
    string CheckpointLog,
    int Checkpoints,
    long? AnchoredSequence,
    string? AnchoredTime,
    long Unanchored,
    string? KeyFingerprint,
    bool SignaturesChecked,
    string? Warning,
    string? Problem)
{
    public bool IsBroken => Problem is not null;
}
