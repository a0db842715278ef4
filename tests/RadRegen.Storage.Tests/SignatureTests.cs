using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

public class SignatureTests : EngineTests
{
    private const string Password = "correct horse battery";

    private sealed record LotContent(string Lot, string Product, int Vials);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_signature_with_the_right_password_is_stored_journaled_and_bound_to_the_content(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var qa = (await services.GetRequiredService<AccessService>().AddUserAsync(Admin, "qa1", "Quinn Archer",
            new HashSet<Role> { Role.QaOfficer }, Password)).ToActor();
        var content = new LotContent("L-001", "KSHEET", 12);
        ElectronicSignature signature;
        await using (var uow = await services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write))
        {
            signature = await services.GetRequiredService<SignatureService>().SignAsync(uow, qa,
                new SignatureIntent("lot", "L-001", "released", content), Password);
            await uow.CommitAsync();
        }

        Assert.True(SignatureService.IsBoundTo(signature, content));
        Assert.False(SignatureService.IsBoundTo(signature, content with { Vials = 13 }));
        Assert.Equal("Quinn Archer (qa1) — released — " + JournalTime.ToText(signature.SignedAt), SignatureService.Manifestation(signature));

        var audit = services.GetRequiredService<AuditService>();
        var stored = Assert.Single(await audit.SignaturesAsync(Admin, "lot", "L-001"));
        Assert.Equal(signature with { Id = stored.Id }, stored);
        var entry = (await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "signature"))).Entries.Single();
        Assert.Equal(stored.JournalSequence, entry.Sequence);
        Assert.Contains(signature.RecordHash, entry.Payload, StringComparison.Ordinal);
        Assert.Contains("\"meaning\":\"released\"", entry.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_wrong_password_or_missing_meaning_refuses_the_signature_and_nothing_is_written(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var qa = (await services.GetRequiredService<AccessService>().AddUserAsync(Admin, "qa1", "",
            new HashSet<Role> { Role.QaOfficer }, Password)).ToActor();
        var signatures = services.GetRequiredService<SignatureService>();
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            var ex = await Assert.ThrowsAsync<ForbiddenException>(() =>
                signatures.SignAsync(uow, qa, new SignatureIntent("lot", "L-001", "released", new { }), "not my password"));
            Assert.Contains("password does not match", ex.Message, StringComparison.Ordinal);
            var meaning = await Assert.ThrowsAsync<DomainValidationException>(() =>
                signatures.SignAsync(uow, qa, new SignatureIntent("lot", "L-001", " ", new { }), Password));
            Assert.Equal("meaning", meaning.Errors[0].Field);
        }

        var audit = services.GetRequiredService<AuditService>();
        Assert.Empty(await audit.SignaturesAsync(Admin, "lot", "L-001"));
        Assert.Equal(0, (await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "signature"))).Total);
    }
}
