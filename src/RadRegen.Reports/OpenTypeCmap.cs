using System.Buffers.Binary;

namespace RadRegen.Reports;

/// <summary>
/// Reads which characters a TrueType/OpenType font has glyphs for, from its <c>cmap</c> table (OpenType
/// specification, "cmap — Character to Glyph Index Mapping Table": the Windows Unicode subtables, format 12
/// for the full range, else format 4 for the Basic Multilingual Plane). PDFsharp does not expose it.
/// </summary>
internal static class OpenTypeCmap
{
    public static IReadOnlySet<int> CodePoints(byte[] font)
    {
        ArgumentNullException.ThrowIfNull(font);
        var span = font.AsSpan();
        var tables = U16(span, 4);
        var cmap = -1;
        for (var i = 0; i < tables; i++)
        {
            var record = 12 + 16 * i;
            if (span.Slice(record, 4).SequenceEqual("cmap"u8))
            {
                cmap = (int)U32(span, record + 8);
            }
        }

        if (cmap < 0)
        {
            throw new InvalidDataException("the font has no cmap table");
        }

        int? format4 = null;
        int? format12 = null;
        var subtables = U16(span, cmap + 2);
        for (var i = 0; i < subtables; i++)
        {
            var record = cmap + 4 + 8 * i;
            var (platform, encoding) = (U16(span, record), U16(span, record + 2));
            var offset = cmap + (int)U32(span, record + 4);
            var format = U16(span, offset);
            if (platform == 3 && encoding == 10 && format == 12)
            {
                format12 = offset;
            }
            else if (platform == 3 && encoding == 1 && format == 4)
            {
                format4 = offset;
            }
        }

        var points = new HashSet<int>();
        if (format12 is { } f12)
        {
            var groups = U32(span, f12 + 12);
            for (var g = 0; g < groups; g++)
            {
                var group = f12 + 16 + 12 * g;
                var (first, last, glyph) = (U32(span, group), U32(span, group + 4), U32(span, group + 8));
                for (var c = first; c <= last; c++)
                {
                    if (glyph + (c - first) != 0)
                    {
                        points.Add((int)c);
                    }
                }
            }

            return points;
        }

        if (format4 is not { } f4)
        {
            throw new InvalidDataException("the font has no Windows Unicode cmap subtable (format 4 or 12)");
        }

        var segments = U16(span, f4 + 6) / 2;
        var ends = f4 + 14;
        var starts = ends + 2 * segments + 2;
        var deltas = starts + 2 * segments;
        var rangeOffsets = deltas + 2 * segments;
        for (var s = 0; s < segments; s++)
        {
            var (start, end) = (U16(span, starts + 2 * s), U16(span, ends + 2 * s));
            var delta = (short)U16(span, deltas + 2 * s);
            var rangeOffset = U16(span, rangeOffsets + 2 * s);
            for (var c = start; c <= end && c != 0xFFFF; c++)
            {
                int glyph;
                if (rangeOffset == 0)
                {
                    glyph = (c + delta) & 0xFFFF;
                }
                else
                {
                    var at = rangeOffsets + 2 * s + rangeOffset + 2 * (c - start);
                    glyph = U16(span, at);
                    glyph = glyph == 0 ? 0 : (glyph + delta) & 0xFFFF;
                }

                if (glyph != 0)
                {
                    points.Add(c);
                }
            }
        }

        return points;
    }

    private static int U16(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadUInt16BigEndian(span[at..]);

    private static uint U32(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
}
