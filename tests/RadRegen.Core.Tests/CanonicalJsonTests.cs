using RadRegen.Core.Journal;

namespace RadRegen.Core.Tests;

public class CanonicalJsonTests
{
    [Fact]
    public void Members_are_sorted_by_ordinal_key_at_every_depth_without_white_space()
    {
        Assert.Equal("{\"a\":[{\"x\":1,\"y\":2}],\"b\":{\"c\":true,\"d\":null}}",
            CanonicalJson.Canonicalize("{ \"b\": {\"d\": null, \"c\": true}, \"a\": [ {\"y\":2, \"x\":1} ] }"));
    }

    [Fact]
    public void Objects_serialise_camel_case_and_the_same_content_gives_the_same_text()
    {
        var one = CanonicalJson.Serialize(new { Zeta = 1, Alpha = "é<>" });
        var two = CanonicalJson.Canonicalize("{\"alpha\":\"é<>\",\"zeta\":1}");
        Assert.Equal(two, one);
        Assert.Equal("{\"alpha\":\"é<>\",\"zeta\":1}", one);
    }

    [Fact]
    public void Null_payload_is_json_null()
    {
        Assert.Equal("null", CanonicalJson.Serialize(null));
    }
}
