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

    [Fact]
    public void The_document_walk_writes_what_the_node_tree_wrote()
    {
        // ADR 0027: Serialize reads the serialiser's output as a JsonDocument instead of a JsonNode
        // tree; every entry already chained must keep its spelling.
        var value = new
        {
            Zeta = new[] { 1.5, 4.485923034560859, 1e-7, 0, -2 },
            Text = "2.401 ×10⁹/L; Mettler & Voelz \"0.4\" <b>\u0001 \\ é",
            Nested = new { B = (string?)null, A = true, Days = new[] { new { Y = 2, X = 1L } } },
            When = new DateTimeOffset(2026, 11, 29, 15, 38, 27, TimeSpan.Zero).AddTicks(6162430),
        };
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        Assert.Equal(NodeWay(System.Text.Json.JsonSerializer.SerializeToNode(value, options)), CanonicalJson.Serialize(value));
    }

    [Fact]
    public void Names_with_escapes_or_beyond_ASCII_sort_by_their_text()
    {
        var json = "{\"\u00e9\":1,\"z\":2,\"a\\u0062\":3,\"\uFB01\":4,\"\uD83D\uDE00\":5}";
        Assert.Equal(NodeWay(System.Text.Json.Nodes.JsonNode.Parse(json)), CanonicalJson.Canonicalize(json));
        Assert.StartsWith("{\"ab\":3,\"z\":2,\"é\":1,", CanonicalJson.Canonicalize(json), StringComparison.Ordinal);
    }

    [Fact]
    public void The_canonical_form_written_from_UTF8_is_the_canonical_form()
    {
        foreach (var (reason, payload) in new[] { ((string?)null, "{\"a\":\"é ×10⁹ \\\" <>\"}"), ("a \"reason\" é", "[1,2.5,null]") })
        {
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            JournalChain.WriteCanonicalForm(output, 7, "2026-11-29T15:38:27.6162430Z", "dr é", "patient", "12", "registered", reason, System.Text.Encoding.UTF8.GetBytes(payload));
            Assert.Equal(JournalChain.CanonicalForm(7, "2026-11-29T15:38:27.6162430Z", "dr é", "patient", "12", "registered", reason, payload),
                System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void A_key_given_twice_has_no_canonical_form()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize("{\"a\":1,\"a\":2}"));
    }

    /// <summary>The canonical form as the JsonNode walk made it before ADR 0027.</summary>
    private static string NodeWay(System.Text.Json.Nodes.JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Walk(writer, node);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());

        static void Walk(System.Text.Json.Utf8JsonWriter writer, System.Text.Json.Nodes.JsonNode? node)
        {
            switch (node)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case System.Text.Json.Nodes.JsonObject obj:
                    writer.WriteStartObject();
                    foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        writer.WritePropertyName(key);
                        Walk(writer, value);
                    }

                    writer.WriteEndObject();
                    break;
                case System.Text.Json.Nodes.JsonArray array:
                    writer.WriteStartArray();
                    foreach (var item in array)
                    {
                        Walk(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    node.WriteTo(writer);
                    break;
            }
        }
    }
}
