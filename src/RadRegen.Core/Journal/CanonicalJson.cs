using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

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
    /// <remarks>
    /// Serialised to UTF-8 and read back as a <see cref="JsonDocument"/> (pooled, read-only) rather
    /// than as a <see cref="System.Text.Json.Nodes.JsonNode"/> tree: the same text (a node parsed from
    /// the serialiser's output writes its values through the same <see cref="JsonElement"/>), at a
    /// fraction of the allocations — a 100,000-victim import canonicalises 200,000 payloads (ADR 0027).
    /// </remarks>
    public static string Serialize(object? value) => Encoding.UTF8.GetString(SerializeToUtf8(value).WrittenSpan);

    /// <summary>As <see cref="Serialize"/>, the canonical text as UTF-8 bytes.</summary>
    public static ArrayBufferWriter<byte> SerializeToUtf8(object? value) => Write(JsonSerializer.SerializeToUtf8Bytes(value, SerializeOptions));

    /// <summary>Canonicalises an existing JSON text.</summary>
    public static string Canonicalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Encoding.UTF8.GetString(Write(Encoding.UTF8.GetBytes(json)).WrittenSpan);
    }

    private static ArrayBufferWriter<byte> Write(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, json.Length));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteElement(writer, document.RootElement);
        }

        return buffer;
    }

    private static void WriteElement(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, element);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteElement(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                // Strings re-escaped by the writer's encoder, numbers as written.
                element.WriteTo(writer);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement element)
    {
        var count = 0;
        var plain = true;
        foreach (var member in element.EnumerateObject())
        {
            count++;
            // A name as written that is ASCII without escapes is its own value, and its bytes sort as
            // its UTF-16 code units do (ordinal): sorted and written from the document's own bytes.
            plain &= IsPlainAscii(JsonMarshal.GetRawUtf8PropertyName(member));
        }

        var members = ArrayPool<JsonProperty>.Shared.Rent(Math.Max(1, count));
        try
        {
            var n = 0;
            foreach (var member in element.EnumerateObject())
            {
                members[n++] = member;
            }

            var span = members.AsSpan(0, n);
            if (plain)
            {
                span.Sort(static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
            }
            else
            {
                span.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            }

            writer.WriteStartObject();
            for (var i = 0; i < n; i++)
            {
                // One spelling for one value: a key given twice has no canonical form (as a JsonObject refuses it).
                if (i > 0 && (plain
                        ? JsonMarshal.GetRawUtf8PropertyName(span[i]).SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(span[i - 1]))
                        : string.Equals(span[i].Name, span[i - 1].Name, StringComparison.Ordinal)))
                {
                    throw new ArgumentException($"the key \"{span[i].Name}\" appears twice in one object");
                }

                if (plain)
                {
                    writer.WritePropertyName(JsonMarshal.GetRawUtf8PropertyName(span[i]));
                }
                else
                {
                    writer.WritePropertyName(span[i].Name);
                }

                WriteElement(writer, span[i].Value);
            }

            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(members, clearArray: true);
        }
    }

    private static bool IsPlainAscii(ReadOnlySpan<byte> name) => !name.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) && !name.Contains((byte)'\\');
}
