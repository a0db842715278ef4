using System.Text.Json;
using System.Text.Json.Serialization;

namespace RadRegen.Care;

/// <summary>
/// How care's tables store JSON (observation values, assessment payloads): camelCase, with NaN and
/// infinities allowed, null members left out (an observation's values are mostly nulls: a blood
/// count written with all 22 members took 419 bytes, 10 times its values; ADR 0027 — reading gives
/// the same record, a missing member reads as null). One definition, so that a victims import can serialise its rows before it
/// opens a unit of work (ADR 0021) exactly as the store would inside it.
/// </summary>
public static class CareJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
