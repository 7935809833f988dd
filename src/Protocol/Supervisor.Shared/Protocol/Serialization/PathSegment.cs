using System.Globalization;
using System.Text;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// One step from a value to a part of it. Kept unrendered while walking (no string per step);
/// rendered only when something is reported: ".Name", "[3]", "[\"key\"]", ".Keys[2]" or ".Values[2]".
/// </summary>
internal readonly struct PathSegment
{
    private const int MemberStep = 0;
    private const int IndexStep = 1;
    private const int ValueStep = 2;
    private const int KeyStep = 3;

    private readonly int _step;
    private readonly string? _text;
    private readonly object? _key;
    private readonly int _position;

    private PathSegment(int step, string? text, object? key, int position)
    {
        _step = step;
        _text = text;
        _key = key;
        _position = position;
    }

    /// <summary>A member; <paramref name="pathText"/> is ".Name".</summary>
    public static PathSegment Member(string pathText) => new(MemberStep, pathText, null, 0);

    /// <summary>The item at <paramref name="index"/> of a sequence (in enumeration order; multi-dimensional arrays flattened).</summary>
    public static PathSegment Index(int index) => new(IndexStep, null, null, index);

    /// <summary>The value under <paramref name="key"/>, the <paramref name="position"/>-th entry of a dictionary.</summary>
    public static PathSegment Value(object? key, int position) => new(ValueStep, null, key, position);

    /// <summary>The key of the <paramref name="position"/>-th entry of a dictionary.</summary>
    public static PathSegment Key(int position) => new(KeyStep, null, null, position);

    public void AppendTo(StringBuilder text)
    {
        switch (_step)
        {
            case MemberStep:
                text.Append(_text);
                break;
            case IndexStep:
                text.Append('[').Append(_position).Append(']');
                break;
            case KeyStep:
                text.Append(".Keys[").Append(_position).Append(']');
                break;
            default:
                // A key that reads well as a literal names its value; any other key falls back to the entry's position.
                var start = text.Length;
                if (TryAppendLiteral(text.Append('['), _key))
                {
                    text.Append(']');
                }
                else
                {
                    text.Length = start;
                    text.Append(".Values[").Append(_position).Append(']');
                }
                break;
        }
    }

    private static bool TryAppendLiteral(StringBuilder text, object? key)
    {
        switch (key)
        {
            case string value:
                AppendQuoted(text, value, '"');
                return true;
            case char value:
                AppendQuoted(text, value.ToString(), '\'');
                return true;
            case bool value:
                text.Append(value ? "true" : "false");
                return true;
            case Enum value:
                text.Append(TypeNames.Format(value.GetType())).Append('.').Append(value);
                return true;
            case IFormattable value when key.GetType().IsPrimitive || key is decimal:
                text.Append(value.ToString(null, CultureInfo.InvariantCulture));
                return true;
            default:
                return false;
        }
    }

    private static void AppendQuoted(StringBuilder text, string value, char quote)
    {
        text.Append(quote);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': text.Append(@"\r"); break;
                case '\t': text.Append(@"\t"); break;
                default:
                    if (c == quote) text.Append('\\').Append(c);
                    else if (char.IsControl(c)) text.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append(quote);
    }
}
