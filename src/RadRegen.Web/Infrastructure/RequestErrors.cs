using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Core;

namespace RadRegen.Web.Infrastructure;

/// <summary>
/// Requests the API could not read, answered as problem details that name the field and say what
/// was expected: a JSON body that is not JSON or holds a value of the wrong type
/// (<c>vials: expected a whole number</c>, <c>startedAt: expected a date and time …</c>, an enum
/// with its allowed values), a query parameter that does not parse, a required one missing, a
/// NUL character anywhere. Minimal APIs report these as <see cref="BadHttpRequestException"/>
/// (RadRegenHost sets <c>RouteHandlerOptions.ThrowOnBadRequest</c>, otherwise they answer a bare
/// 400); System.Text.Json gives the field as the exception's JSON path.
/// </summary>
public static partial class RequestErrors
{
    /// <summary>The field of a JSON path as the client wrote it: <c>$.screening.hiv</c> → <c>screening.hiv</c>; the whole body → <c>body</c>.</summary>
    public static string Field(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "body";
        }

        var field = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        // $['odd name'] → odd name
        // A NUL in a dictionary key is refused; the field is named without it.
        return field.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal)
            .TrimStart('.');
    }

    /// <summary>Problem details for a request minimal APIs could not bind, or null when the exception is not one.</summary>
    public static ValidationProblemDetails? ToProblem(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } b => Problem(b.StatusCode, new FieldError("body", b.Message)),
        BadHttpRequestException { InnerException: JsonException json } b => Problem(b.StatusCode, FromJson(json)),
        BadHttpRequestException b => Problem(b.StatusCode, FromBinding(b.Message)),
        JsonException json => Problem(StatusCodes.Status400BadRequest, FromJson(json)),
        _ => null,
    };

    private static ValidationProblemDetails Problem(int status, FieldError error) =>
        new(new Dictionary<string, string[]> { [error.Field] = [error.Message] })
        {
            Status = status,
            Title = status switch
            {
                StatusCodes.Status415UnsupportedMediaType => "The request's content type is not accepted.",
                StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                _ => "The request could not be read.",
            },
            Detail = error.ToString(),
        };

    private static FieldError FromJson(JsonException json)
    {
        var field = Field(json.Path);
        if (field.Length > Limits.ShortName.MaxLength)
        {
            // A too-long object key is part of the path: the problem names it, cut, never echoes it whole.
            field = field[..Limits.ShortName.MaxLength] + "…";
        }

        var message = json.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var plain = cut >= 0 ? message[..cut] : message;
        if (ConvertedTo().Match(message) is { Success: true } m)
        {
            return new FieldError(field, "expected " + ExpectedAt(m.Groups["type"].Value, json.Path));
        }

        if (json is TextRefusedException)
        {
            return new FieldError(field, plain);
        }

        var at = json.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {json.BytePositionInLine + 1})")
            : "";
        return new FieldError(field, $"is not valid JSON{at}: {plain.TrimEnd('.')}");
    }

    private static FieldError FromBinding(string message)
    {
        if (BindFailed().Match(message) is { Success: true } bind)
        {
            return new FieldError(bind.Groups["name"].Value,
                $"expected {Expected(bind.Groups["type"].Value)}, got \"{bind.Groups["value"].Value}\"");
        }

        if (Required().Match(message) is { Success: true } required)
        {
            var name = required.Groups["name"].Value;
            return required.Groups["source"].Value.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? new FieldError("body", "a JSON body is required")
                : new FieldError(name, "is required");
        }

        if (message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return new FieldError("body", "a JSON body is required");
        }

        if (message.Contains("media type", StringComparison.OrdinalIgnoreCase))
        {
            return new FieldError("Content-Type", "send the body as application/json");
        }

        return new FieldError("request", message);
    }

    /// <summary>What a value of <paramref name="typeName"/> looks like, in words (<c>System.Int32</c>, <c>int?</c>, an enum's full name).</summary>
    public static string Expected(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var name = typeName.Trim();
        if (name.StartsWith("System.Nullable`1[", StringComparison.Ordinal) && name.EndsWith(']'))
        {
            name = name["System.Nullable`1[".Length..^1];
        }

        if (name.StartsWith("Nullable<", StringComparison.Ordinal) && name.EndsWith('>'))
        {
            name = name["Nullable<".Length..^1];
        }

        name = name.TrimEnd('?');
        if (FindType(name) is { } known)
        {
            return Expected(known);
        }

        if (name.EndsWith("[]", StringComparison.Ordinal) || name.Contains("List`1", StringComparison.Ordinal)
            || name.Contains("IReadOnlyList", StringComparison.Ordinal) || name.Contains("IEnumerable", StringComparison.Ordinal))
        {
            return "a list";
        }

        if (name.Contains("Dictionary", StringComparison.Ordinal))
        {
            return "an object of names and values";
        }

        var shortName = name[(name.LastIndexOf('.') + 1)..];
        return shortName switch
        {
            "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" or "short" or "int" or "long" or "byte" => "a whole number",
            "Double" or "Single" or "Decimal" or "double" or "float" or "decimal" => "a number",
            "Boolean" or "bool" => "true or false",
            "DateTimeOffset" or "DateTime" => "a date and time in ISO 8601 with its offset (2026-11-21T09:00:00Z)",
            "DateOnly" => "a date in ISO 8601 (2026-11-21)",
            "TimeSpan" or "TimeOnly" => "a time (09:30:00)",
            "String" or "string" => "a text (a JSON string)",
            "Guid" => "a GUID",
            _ => FindEnum(name) is { } e
                ? "one of " + string.Join(", ", Enum.GetNames(e).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)))
                : "an object (" + shortName + ")",
        };
    }

    /// <summary>
    /// A query parameter naming a value of <typeparamref name="TEnum"/> as the API writes it
    /// (kebab-case, case ignored); null when absent; anything else — a number included — is a 400
    /// naming <paramref name="field"/> and the allowed values.
    /// </summary>
    public static TEnum? ParseEnum<TEnum>(string? value, string field)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            var name = candidate.ToString();
            if (string.Equals(value.Trim(), JsonNamingPolicy.KebabCaseLower.ConvertName(name), StringComparison.OrdinalIgnoreCase)
                || string.Equals(value.Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        throw new DomainValidationException(field, "must be " + Expected(typeof(TEnum)));
    }

    /// <summary>
    /// What was expected at <paramref name="jsonPath"/>. For a record bound through its constructor,
    /// System.Text.Json names the record, not the member, as the type it could not convert to: the
    /// member is then found by the path's last name (JSON names are matched case-insensitively, as the web defaults read them).
    /// </summary>
    private static string ExpectedAt(string typeName, string? jsonPath)
    {
        var owner = FindType(typeName);
        var last = Field(jsonPath).Split('.')[^1];
        var indexed = last.EndsWith(']');
        var name = indexed ? last[..last.IndexOf('[', StringComparison.Ordinal)] : last;
        if (owner is { IsClass: true } && owner != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(owner)
            && owner.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)
                is { } property)
        {
            var type = property.PropertyType;
            if (indexed && ElementType(type) is { } element)
            {
                type = element;
            }

            return Expected(type);
        }

        return Expected(typeName);
    }

    /// <summary>What a value of <paramref name="type"/> looks like, in words.</summary>
    public static string Expected(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)));
        }

        if (type == typeof(string))
        {
            return "a text (a JSON string)";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition().Name.Contains("Dictionary", StringComparison.Ordinal))
        {
            return "an object of names and values";
        }

        if (ElementType(type) is not null)
        {
            return "a list";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64
                or TypeCode.UInt64 => "a whole number",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.Boolean => "true or false",
            TypeCode.DateTime => "a date and time in ISO 8601 with its offset (2026-11-21T09:00:00Z)",
            _ when type == typeof(DateTimeOffset) => "a date and time in ISO 8601 with its offset (2026-11-21T09:00:00Z)",
            _ when type == typeof(DateOnly) => "a date in ISO 8601 (2026-11-21)",
            _ when type == typeof(TimeSpan) || type == typeof(TimeOnly) => "a time (09:30:00)",
            _ when type == typeof(Guid) => "a GUID",
            _ => "an object",
        };
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Type? FindType(string name)
    {
        if (Type.GetType(name, throwOnError: false) is { } system)
        {
            return system;
        }

        var simple = name switch
        {
            "int" => typeof(int), "long" => typeof(long), "short" => typeof(short), "double" => typeof(double), "float" => typeof(float),
            "decimal" => typeof(decimal), "bool" => typeof(bool), "string" => typeof(string),
            "DateTimeOffset" => typeof(DateTimeOffset), "DateTime" => typeof(DateTime), "DateOnly" => typeof(DateOnly),
            "TimeSpan" => typeof(TimeSpan), "Guid" => typeof(Guid),
            _ => null,
        };
        return simple ?? AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name?.StartsWith("RadRegen", StringComparison.Ordinal) == true)
            .Select(a => a.GetType(name, throwOnError: false))
            .FirstOrDefault(t => t is not null);
    }

    private static Type? FindEnum(string name) =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name?.StartsWith("RadRegen", StringComparison.Ordinal) == true)
            .SelectMany(a => name.Contains('.', StringComparison.Ordinal)
                ? [a.GetType(name, throwOnError: false)]
                : SafeTypes(a).Where(t => t is { IsEnum: true } && t.Name == name))
            .FirstOrDefault(t => t is { IsEnum: true });

    private static IEnumerable<Type?> SafeTypes(System.Reflection.Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (System.Reflection.ReflectionTypeLoadException ex)
        {
            return ex.Types;
        }
    }

    [GeneratedRegex(@"could not be converted to (?<type>\S+)\. Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailed();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ \"]+)\" was not provided from (?<source>.+)\\.$")]
    private static partial Regex Required();
}

/// <summary>
/// Reads every JSON string of an API request body and refuses one longer than the longest text
/// limit (<see cref="Limits.LongestText"/>; a property name longer than a short name), or holding a NUL character
/// (U+0000): PostgreSQL cannot store it in text (it answered 503), SQLite would store a string
/// that C tools cut short. Thrown as a <see cref="JsonException"/>, which System.Text.Json fills
/// with the field's path (<see cref="RequestErrors"/> names it).
/// </summary>
public sealed class NulRefusingStringConverter : JsonConverter<string>
{
    public const string Refusal = "holds a NUL character (U+0000), which no text field accepts";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        if (value is not null && value.Length > Limits.LongestText.MaxLength)
        {
            // The ceiling of every text of every API body (issue 12 item 8); each service then holds
            // its fields to their own, smaller, named limit (Core.Limits).
            throw new TextRefusedException(InputLimits.TooLong(value.Length, Limits.LongestText));
        }

        return value is not null && value.Contains('\0', StringComparison.Ordinal) ? throw new TextRefusedException() : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString() ?? "";
        if (value.Length > Limits.ShortName.MaxLength)
        {
            throw new TextRefusedException(InputLimits.TooLong(value.Length, Limits.ShortName));
        }

        return value.Contains('\0', StringComparison.Ordinal) ? throw new TextRefusedException() : value;
    }

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value);
    }
}

/// <summary>A JSON string refused by <see cref="NulRefusingStringConverter"/>; System.Text.Json sets its <see cref="JsonException.Path"/>.</summary>
public sealed class TextRefusedException : JsonException
{
    public TextRefusedException() : base(NulRefusingStringConverter.Refusal) { }

    public TextRefusedException(string message) : base(message) { }

    public TextRefusedException(string message, Exception inner) : base(message, inner) { }
}
