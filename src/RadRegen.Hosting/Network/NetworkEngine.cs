using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Polly;
using Polly.Retry;
using RadRegen.Core;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;
using RadRegen.Network.Privacy;
using RadRegen.Storage;

namespace RadRegen.Hosting.Network;

/// <summary>How the engine paces itself (defaults for a server; tests shorten them).</summary>
/// <param name="PollInterval">How often the relay looks for pending outbox rows when nothing woke it (≤ 100 ms, issue 13).</param>
/// <param name="BatchSize">Outbox rows published per round (published together, acknowledged each).</param>
/// <param name="ReconnectWaitMin">The NATS client's first wait before reconnecting.</param>
/// <param name="ReconnectWaitMax">Its longest wait between reconnect attempts.</param>
/// <param name="RetryMaxDelay">The relay's and consumer's longest back-off after a failure.</param>
/// <param name="ContactPersistInterval">How often the last contact is written to the database (the link state is written at each change).</param>
/// <param name="AckWait">
/// How long JetStream waits for an acknowledgement before it redelivers. Messages in flight when a
/// link breaks went to a connection that is gone: they come again after this wait, so it bounds the
/// catch-up delay after a reconnect; long enough that a message waiting in the client's buffer is
/// not redelivered while it waits (a redelivery is harmless, the inbox drops it, but wasted).
/// </param>
/// <param name="PullExpires">How long one pull request of the consumer lasts before the client renews it.</param>
/// <param name="PullBatch">How many messages one pull asks for.</param>
public sealed record NetworkEngineOptions(
    TimeSpan PollInterval,
    int BatchSize,
    TimeSpan ReconnectWaitMin,
    TimeSpan ReconnectWaitMax,
    TimeSpan RetryMaxDelay,
    TimeSpan ContactPersistInterval,
    TimeSpan AckWait,
    TimeSpan PullExpires,
    int PullBatch)
{
    public static NetworkEngineOptions Default { get; } = new(
        TimeSpan.FromMilliseconds(100), 500, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 200);
}

/// <summary>
/// This center's connection to the network's NATS server: the JetStream context, the stream, and
/// the link state (connected or not, last contact) that <c>/network</c> and <c>network status</c>
/// show. The NATS client reconnects by itself, forever; the relay and the consumer retry on top.
/// </summary>
public sealed partial class NetworkLink : IAsyncDisposable
{
    private readonly NetworkSettings _settings;
    private readonly NetworkEngineOptions _options;
    private readonly IUnitOfWorkFactory _units;
    private readonly IClock _clock;
    private readonly ILogger _log;
    private readonly NatsOpts _opts;
    private readonly NatsConnection _nats;
    private readonly Lock _gate = new();
    private LinkStatus _status = LinkStatus.Connecting;
    private DateTimeOffset _changedAt;
    private DateTimeOffset? _lastContact;
    private DateTimeOffset? _persistedContact;
    private string? _lastError;
    private bool _dirty = true;

    public NetworkLink(NetworkSettings settings, NetworkEngineOptions options, IUnitOfWorkFactory units, IClock clock, ILogger<NetworkLink>? log = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        _settings = settings;
        _options = options;
        _units = units;
        _clock = clock;
        _log = log ?? (ILogger)NullLogger.Instance;
        _changedAt = clock.UtcNow;
        _opts = NatsOpts.Default with
        {
            Url = settings.Url.ToString().TrimEnd('/'),
            Name = "radregen-" + settings.Center,
            RetryOnInitialConnect = true,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = options.ReconnectWaitMin,
            ReconnectWaitMax = options.ReconnectWaitMax,
            AuthOpts = Auth(settings.Auth),
            TlsOpts = Tls(settings),
        };
        _nats = new NatsConnection(_opts);
        _nats.ConnectionOpened += (_, _) =>
        {
            Mark(LinkStatus.Connected);
            return ValueTask.CompletedTask;
        };
        _nats.ConnectionDisconnected += (_, _) =>
        {
            Mark(LinkStatus.Disconnected);
            return ValueTask.CompletedTask;
        };
        JetStream = new NatsJSContext(_nats);
    }

    public NetworkSettings Settings => _settings;

    public NetworkEngineOptions Options => _options;

    public INatsJSContext JetStream { get; }

    public LinkStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Creates the network's stream when missing (file storage, every subject of the network, kept without limit).</summary>
    public async Task EnsureStreamAsync(CancellationToken ct)
    {
        await JetStream.CreateOrUpdateStreamAsync(new StreamConfig(NetworkWire.Stream(_settings.Name),
            [NetworkWire.Prefix(_settings.Name) + ".>", NetworkWire.AddressedPrefix(_settings.Name) + ".>"])
        {
            Storage = StreamConfigStorage.File,
            Retention = StreamConfigRetention.Limits,
            DuplicateWindow = NetworkWire.DuplicateWindow,
            Description = "RadRegen network " + _settings.Name + " (ADR 0022)",
        }, ct);
        Contact();
    }

    /// <summary>
    /// The client's authentication from <c>Network:User</c>/<c>Password</c>, <c>Token</c> or
    /// <c>CredentialsFile</c> (ADR 0029); anonymous without. The NATS client is given no logger, so
    /// nothing of it is logged.
    /// </summary>
    private static NatsAuthOpts Auth(NetworkAuth? auth) => auth switch
    {
        { CredentialsFile: { } file } => NatsAuthOpts.Default with { CredsFile = file },
        { Token: { } token } => NatsAuthOpts.Default with { Token = token },
        { User: { } user } => NatsAuthOpts.Default with { Username = user, Password = auth.Password },
        _ => NatsAuthOpts.Default,
    };

    /// <summary>TLS from <c>Network:Tls:*</c> (ADR 0029): required with a CA file, a client certificate or a <c>tls://</c> URL; else the server decides.</summary>
    private static NatsTlsOpts Tls(NetworkSettings settings) => settings.Tls is { } tls
        ? NatsTlsOpts.Default with { CaFile = tls.CaFile, CertFile = tls.CertFile, KeyFile = tls.KeyFile, Mode = TlsMode.Require }
        : settings.Url.Scheme == "tls" ? NatsTlsOpts.Default with { Mode = TlsMode.Require } : NatsTlsOpts.Default;

    /// <summary>Notes a successful exchange with the server (and forgets the last error).</summary>
    public void Contact()
    {
        lock (_gate)
        {
            if (_lastError is not null)
            {
                _lastError = null;
                _dirty = true;
            }

            _lastContact = _clock.UtcNow;
            if (_status != LinkStatus.Connected)
            {
                _status = LinkStatus.Connected;
                _changedAt = _lastContact.Value;
                _dirty = true;
            }
        }
    }

    /// <summary>Notes a failed exchange (the relay or consumer could not reach the stream), and why, for <c>network status</c>.</summary>
    public void Failed(Exception? error = null)
    {
        if (error is not null)
        {
            var text = Explain(error);
            lock (_gate)
            {
                if (!string.Equals(_lastError, text, StringComparison.Ordinal))
                {
                    _lastError = text;
                    _dirty = true;
                }
            }
        }

        if (_nats.ConnectionState != NatsConnectionState.Open)
        {
            Mark(LinkStatus.Disconnected);
        }
    }

    /// <summary>
    /// While the connection is not open, tries a connection of its own every <paramref name="every"/>
    /// that does not retry, so the reason the client keeps silent about (refused credentials, an
    /// untrusted certificate) reaches <c>network status</c>; the NATS client itself retries quietly.
    /// </summary>
    public async Task WatchAsync(TimeSpan every, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(every, ct);
            if (_nats.ConnectionState == NatsConnectionState.Open)
            {
                continue;
            }

            try
            {
                await using var probe = new NatsConnection(_opts with { RetryOnInitialConnect = false, Name = _opts.Name + "-probe" });
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(every);
                await probe.ConnectAsync().AsTask().WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                Failed(ex is OperationCanceledException ? new TimeoutException($"no answer from the NATS server within {every.TotalSeconds:0.#} s") : ex);
                try
                {
                    await PersistAsync(ct);
                }
                catch (Exception persist) when (persist is not OperationCanceledException)
                {
                    Retrying(_log, "link state", 1, 0, persist.Message);
                }
            }
        }
    }

    /// <summary>The failure in an operator's words, naming the settings to check; never a secret (the client's messages carry none).</summary>
    private string Explain(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (!messages.Any(m => m.Contains(e.Message, StringComparison.Ordinal)))
            {
                messages.Add(e.Message);
            }
        }

        var message = string.Join(": ", messages);
        var url = _settings.Url.ToString().TrimEnd('/');
        if (message.Contains("certificate", StringComparison.OrdinalIgnoreCase) || message.Contains("TLS", StringComparison.Ordinal) || message.Contains("SSL", StringComparison.Ordinal))
        {
            return $"TLS with the NATS server at {url} failed (check Network:Tls:CaFile, Network:Tls:CertFile, Network:Tls:KeyFile): {message}";
        }

        if (message.Contains("authenticat", StringComparison.OrdinalIgnoreCase) || message.Contains("authoriz", StringComparison.OrdinalIgnoreCase))
        {
            return $"the NATS server at {url} refused this center's credentials (check Network:User and Network:Password, Network:Token or Network:CredentialsFile): {message}";
        }

        return message;
    }

    private void Mark(LinkStatus status)
    {
        lock (_gate)
        {
            if (_status != status)
            {
                _status = status;
                _changedAt = _clock.UtcNow;
                _dirty = true;
            }
        }

        LinkChanged(_log, _settings.Url.ToString(), status);
    }

    /// <summary>Writes the link state when it changed, and the last contact every <see cref="NetworkEngineOptions.ContactPersistInterval"/>.</summary>
    public async Task PersistAsync(CancellationToken ct)
    {
        if (_nats.ConnectionState == NatsConnectionState.Open)
        {
            // An open connection is contact: the client pings the server and drops a dead link.
            // (Not an exchange: a JetStream failure on an open connection keeps its error shown.)
            lock (_gate)
            {
                _lastContact = _clock.UtcNow;
                if (_status != LinkStatus.Connected)
                {
                    _status = LinkStatus.Connected;
                    _changedAt = _lastContact.Value;
                    _dirty = true;
                }
            }
        }

        LinkState state;
        lock (_gate)
        {
            var contactDue = _lastContact is { } c && (_persistedContact is not { } p || c - p >= _options.ContactPersistInterval);
            if (!_dirty && !contactDue)
            {
                return;
            }

            state = new LinkState(_settings.Url.ToString().TrimEnd('/'), _status, _changedAt, _lastContact) { LastError = _lastError };
            _dirty = false;
            _persistedContact = _lastContact;
        }

        await using var uow = await _units.BeginAsync(WorkMode.Write, ct);
        await uow.Store<INetworkStore>().SaveLinkAsync(state, ct);
        await uow.CommitAsync(ct);
    }

    /// <summary>A retry pipeline with exponential back-off and jitter, forever (until the process stops).</summary>
    public ResiliencePipeline RetryForever(string what) =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = _options.RetryMaxDelay,
            OnRetry = async args =>
            {
                Failed(args.Outcome.Exception);
                Retrying(_log, what, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message ?? "");
                try
                {
                    // Written now: a link that never comes up (refused credentials) still shows why in network status.
                    await PersistAsync(args.Context.CancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Retrying(_log, what + " (writing the link state)", args.AttemptNumber + 1, 0, ex.Message);
                }
            },
        }).Build();

    public ValueTask DisposeAsync() => _nats.DisposeAsync();

    [LoggerMessage(LogLevel.Information, "Network link to {Url}: {Status}")]
    private static partial void LinkChanged(ILogger logger, string url, LinkStatus status);

    [LoggerMessage(LogLevel.Warning, "Network {What} failed (attempt {Attempt}), retrying in {DelayMs} ms: {Error}")]
    private static partial void Retrying(ILogger logger, string what, int attempt, double delayMs, string error);
}

/// <summary>
/// The relay (ADR 0022): publishes the outbox rows not yet acknowledged (<c>relayed_at IS NULL</c>,
/// by position) to JetStream with the event id as <c>Nats-Msg-Id</c>, and marks them relayed after
/// JetStream's acknowledgement. A crash between the acknowledgement and the mark republishes the
/// same id, which JetStream drops within its duplicate window and the receiving inbox drops after it.
/// </summary>
public sealed partial class OutboxRelay(NetworkLink link, IUnitOfWorkFactory units, IClock clock, OutboxSignal signal, CenterKeyring keys,
    NetworkJoin join, ILogger<OutboxRelay>? log = null) : BackgroundService
{
    private readonly ILogger _log = log ?? (ILogger)NullLogger.Instance;

    // Outbox positions already logged as held: the relay looks every 100 ms, the log says it once per process.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, bool> _heldLogged = new();

    /// <summary>Wakes the relay now instead of at its next look.</summary>
    public void Wake() => signal.Committed();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = link.RetryForever("relay");
        await Task.Yield();
        var watch = WatchAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await retry.ExecuteAsync(async ct =>
                {
                    // An older database joining: its whole state goes out once (ADR 0029), before the backlog is relayed.
                    await join.EnsurePublishedAsync(link.Settings, ct);
                    while (await RelayOnceAsync(ct) > 0)
                    {
                    }

                    await link.PersistAsync(ct);
                }, stoppingToken);
                await signal.WaitAsync(link.Options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        await watch;
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        try
        {
            await link.WatchAsync(link.Options.ReconnectWaitMax * 2, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Publishes one batch of pending rows; returns how many were acknowledged.</summary>
    public async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        var settings = link.Settings;
        var messages = new List<(RadRegen.Core.Messaging.OutboxRecord Record, string Subject, byte[] Body)>(link.Options.BatchSize);
        var after = 0L;
        while (messages.Count == 0)
        {
            var (pending, addressees) = await PendingPageAsync(after, ct);
            if (pending.Count == 0)
            {
                return 0;
            }

            AddMessages(pending, addressees, settings, messages);
            if (pending.Count < link.Options.BatchSize)
            {
                break;
            }

            // A page of records held back (their addressees' keys unknown) never blocks what follows it.
            after = pending[^1].Position;
        }

        if (messages.Count == 0)
        {
            return 0;
        }

        var publishes = messages.Select(async m =>
        {
            var headers = new NatsHeaders { [NetworkWire.MessageIdHeader] = m.Record.EventId.ToString("D") };
            var ack = await link.JetStream.PublishAsync(m.Subject, m.Body, headers: headers, cancellationToken: ct);
            ack.EnsureSuccess();
            return m.Record.Position;
        }).ToList();

        var acknowledged = new List<long>(messages.Count);
        Exception? failure = null;
        foreach (var publish in publishes)
        {
            try
            {
                acknowledged.Add(await publish);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure ??= ex;
            }
        }

        if (acknowledged.Count > 0)
        {
            await using var write = await units.BeginAsync(WorkMode.Write, ct);
            await write.Store<INetworkStore>().MarkRelayedAsync(acknowledged, clock.UtcNow, ct);
            await write.CommitAsync(ct);
            link.Contact();
        }

        if (failure is not null)
        {
            throw new NetworkUnavailableException($"{messages.Count - acknowledged.Count} of {messages.Count} events not acknowledged: {failure.Message}", failure);
        }

        return acknowledged.Count;
    }

    /// <summary>One page of pending outbox rows after <paramref name="after"/>, with the public keys of the centers they are addressed to.</summary>
    private async Task<(IReadOnlyList<RadRegen.Core.Messaging.OutboxRecord> Pending, Dictionary<string, CenterPublicKeys?> Addressees)> PendingPageAsync(
        long after, CancellationToken ct)
    {
        var addressees = new Dictionary<string, CenterPublicKeys?>(StringComparer.Ordinal);
        await using var read = await units.BeginAsync(WorkMode.Read, ct);
        var store = read.Store<INetworkStore>();
        var pending = await store.PendingAsync(link.Options.BatchSize, after, ct);
        foreach (var to in pending.Select(r => Addressing.AddresseeOf(r.Event.EntityKey)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            addressees[to] = to.Length == 0 ? null : await store.CenterKeysAsync(to, ct);
        }

        return (pending, addressees);
    }

    /// <summary>The messages for <paramref name="pending"/>: public ones as written, addressed ones sealed; a record whose keys are unknown is held back.</summary>
    private void AddMessages(IReadOnlyList<RadRegen.Core.Messaging.OutboxRecord> pending, Dictionary<string, CenterPublicKeys?> addressees, NetworkSettings settings,
        List<(RadRegen.Core.Messaging.OutboxRecord Record, string Subject, byte[] Body)> messages)
    {
        foreach (var record in pending)
        {
            if (Addressing.AddresseeOf(record.Event.EntityKey) is not { } to)
            {
                messages.Add((record, NetworkWire.Subject(settings.Name, settings.Center, record.Event.Kind), NetworkWire.Encode(settings.Center, record)));
            }
            else if (keys.Keys is { } own && addressees[to] is { } theirs)
            {
                // Sealed to the addressee and signed by this center, on the addressee's own subject (ADR 0029).
                var sealedPayload = SealedPayload.Seal(NetworkEnvelope.Of(settings.Center, record), to, theirs, own);
                messages.Add((record, NetworkWire.AddressedSubject(settings.Name, to, settings.Center, record.Event.Kind),
                    NetworkWire.Encode(settings.Center, record, sealedPayload)));
            }
            else
            {
                // Never in clear: it waits in the outbox (pending, shown by network status) until both keys are known.
                if (_heldLogged.TryAdd(record.Position, true))
                {
                    Held(_log, record.Event.EntityKey, to, keys.Keys is null ? "this center has no network keys (Network:KeyFile)" : $"{to} has told no public keys in its profile");
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Network event {EntityKey} for {Addressee} is held in the outbox, not published: {Reason}")]
    private static partial void Held(ILogger logger, string entityKey, string addressee, string reason);
}

/// <summary>
/// Wakes the relay after a commit that enqueued a network event (<see cref="IOutboxCommitObserver"/>),
/// so an event is published within milliseconds rather than at the relay's next look.
/// </summary>
public sealed class OutboxSignal : IOutboxCommitObserver
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Committed()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one round publishes everything pending.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}

/// <summary>The NATS server did not acknowledge (the relay retries).</summary>
public sealed class NetworkUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The consumer (ADR 0022): a durable JetStream consumer per center over every subject of the
/// network, acknowledging each message only after <see cref="NetworkInbox"/> committed it (applied,
/// superseded, duplicate or parked). This center's own events come back on the stream and are
/// acknowledged without anything done (NATS 2.9, Debian's, has one filter subject per consumer).
/// </summary>
public sealed partial class NetworkConsumer(NetworkLink link, NetworkInbox inbox, ILogger<NetworkConsumer>? log = null) : BackgroundService
{
    private readonly ILogger _log = log ?? (ILogger)NullLogger.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = link.Settings;
        // Two durable consumers (nats-server 2.9: one filter subject each): the network's shared
        // subjects, and this center's addressed ones, which no other center's filter covers (ADR 0029).
        await Task.WhenAll(
            RunAsync("consumer", NetworkWire.Consumer(settings.Center), NetworkWire.Prefix(settings.Name) + ".>", stoppingToken),
            RunAsync("addressed consumer", NetworkWire.AddressedConsumer(settings.Center), NetworkWire.AddressedFilter(settings.Name, settings.Center), stoppingToken));
    }

    private async Task RunAsync(string what, string durable, string filter, CancellationToken stoppingToken)
    {
        var retry = link.RetryForever(what);
        try
        {
            await retry.ExecuteAsync(ct => ConsumeAsync(durable, filter, ct), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async ValueTask ConsumeAsync(string durable, string filter, CancellationToken ct)
    {
        var settings = link.Settings;
        await link.EnsureStreamAsync(ct);
        var consumer = await link.JetStream.CreateOrUpdateConsumerAsync(NetworkWire.Stream(settings.Name), new ConsumerConfig(durable)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            FilterSubject = filter,
            AckWait = link.Options.AckWait,
            MaxAckPending = Math.Max(1000, link.Options.PullBatch * 2),
            Description = "RadRegen center " + settings.Center,
        }, ct);
        link.Contact();
        await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts
        {
            MaxMsgs = link.Options.PullBatch,
            Expires = link.Options.PullExpires,
            IdleHeartbeat = link.Options.PullExpires / 2,
        }, cancellationToken: ct))
        {
            try
            {
                await HandleAsync(message, ct);
                await message.AckAsync(cancellationToken: ct);
                link.Contact();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database failed: nothing was committed; JetStream redelivers after the delay.
                ReceiveFailed(_log, message.Subject, ex.Message);
                await message.NakAsync(delay: TimeSpan.FromSeconds(1), cancellationToken: ct);
            }
        }
    }

    private async Task HandleAsync(INatsJSMsg<byte[]> message, CancellationToken ct)
    {
        var settings = link.Settings;
        var (center, addressee) = NetworkWire.Parse(message.Subject);
        if (string.Equals(center, settings.Center, StringComparison.Ordinal))
        {
            return;
        }

        NetworkEnvelope envelope;
        try
        {
            envelope = NetworkWire.Decode(message.Data ?? []);
        }
        catch (FormatException ex)
        {
            // Parked whole with the reason (an entity version of 0 is an invalid envelope).
            var id = message.Headers is { } h && h.TryGetValue(NetworkWire.MessageIdHeader, out var value) && Guid.TryParse(value.ToString(), out var g)
                ? g
                : Guid.NewGuid();
            var raw = message.Data is { } data ? System.Text.Encoding.UTF8.GetString(data) : "";
            envelope = new NetworkEnvelope(id, 0, center ?? "", message.Subject, "", 0, DateTimeOffset.UnixEpoch, raw);
            Unreadable(_log, message.Subject, ex.Message);
        }

        if (!string.Equals(envelope.SourceCenter, center, StringComparison.Ordinal) && envelope.EntityVersion > 0)
        {
            // A center publishes only under its own subject; an envelope claiming another source is parked.
            envelope = envelope with { EntityVersion = 0 };
        }

        if (addressee is not null && !string.Equals(Addressing.AddresseeOf(envelope.EntityKey), addressee, StringComparison.Ordinal))
        {
            // An addressed subject carries only events addressed to its addressee: anything else is parked.
            envelope = envelope with { EntityVersion = 0 };
        }

        await inbox.ReceiveAsync(envelope, ct);
    }

    [LoggerMessage(LogLevel.Warning, "Network event on {Subject} not received (will be redelivered): {Error}")]
    private static partial void ReceiveFailed(ILogger logger, string subject, string error);

    [LoggerMessage(LogLevel.Warning, "Network message on {Subject} is unreadable and is parked: {Error}")]
    private static partial void Unreadable(ILogger logger, string subject, string error);
}

/// <summary>Registers the network engine (server only).</summary>
public static class NetworkEngineServices
{
    /// <summary>With <see cref="RadRegenSettings.Network"/> set: the link, the relay and the consumer as hosted services; without, nothing.</summary>
    public static IServiceCollection AddRadRegenNetworkEngine(this IServiceCollection services, RadRegenSettings settings, NetworkEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Network is not { } network)
        {
            return services;
        }

        services.AddSingleton(options ?? NetworkEngineOptions.Default);
        services.AddSingleton(sp => new NetworkLink(network, sp.GetRequiredService<NetworkEngineOptions>(), sp.GetRequiredService<IUnitOfWorkFactory>(),
            sp.GetRequiredService<IClock>(), sp.GetService<ILogger<NetworkLink>>()));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutboxCommitObserver>(sp => sp.GetRequiredService<OutboxSignal>());
        services.AddSingleton<NetworkJoin>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<NetworkConsumer>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddHostedService(sp => sp.GetRequiredService<NetworkConsumer>());
        return services;
    }
}
