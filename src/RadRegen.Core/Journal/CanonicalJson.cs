using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadRegen.Core.Journal;

/// <summary>
/// One spelling for one JSON value, so that its hash is stable: object members sorted by ordinal
/// key, no insignificant white space, strings escaped minimally. Modelled on RFC 8785 (JSON
/// Canonicalization Scheme) for structure; numbers are kept as written because every payload is
/// stored as the canonical text that was hashed, never re-serialised from a parsed double.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions SerializeOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises <paramref name="value"/> (camelCase) and canonicalises it.</summary>
    public static string Serialize(object? value)
    {
        var node = JsonSerializer.SerializeToNode(value, SerializeOptions);
        return Write(node);
    }

    /// <summary>Canonicalises an existing JSON text.</summary>
    public static string Canonicalize(string json) => Write(JsonNode.Parse(json));

    private static string Write(JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            WriteNode(writer, node);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteNode(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
