using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// MessagePack for the primitive types a chunked map most often carries (the integers, <see cref="double"/>,
/// <see cref="float"/>, <see cref="bool"/>), read and written on spans by code the JIT turns into a few instructions
/// per value. MessagePack's own reader goes through a <c>SequenceReader</c> and an interface call per value, which is
/// most of a tiny call's cost, and all of it runs as unoptimized tier-0 code during a first map. The bytes are the
/// ones MessagePack writes (the shortest integer form, float32 and float64 as they are), and anything this does not
/// read (a value of another form, a number out of range) is left to MessagePack, which reads or refuses it as before.
/// </summary>
/// <remarks>
/// The helpers are inlined where the JIT's budget allows and compiled optimized at once where it does not: a helper
/// left to tiering ran as tier-0 code through a first map.
/// </remarks>
/// <typeparam name="T">The value's type; <see cref="IsSupported"/> says whether this codec knows it.</typeparam>
internal static class PrimitiveCodec<T>
{
    /// <summary>The most bytes one value takes.</summary>
    public const int MaxBytes = 9;

    /// <summary>Whether <typeparamref name="T"/> is read and written here; a constant once the JIT has seen it.</summary>
    public static bool IsSupported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) || typeof(T) == typeof(sbyte)
            || typeof(T) == typeof(ulong) || typeof(T) == typeof(uint) || typeof(T) == typeof(ushort) || typeof(T) == typeof(byte)
            || typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(bool);
    }

    /// <summary>
    /// Reads one value at <paramref name="position"/> and moves past it; false, with <paramref name="position"/>
    /// unchanged, when the bytes there are not one this codec reads as a <typeparamref name="T"/> (or are cut short).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ReadOnlySpan<byte> bytes, ref int position, out T value)
    {
        value = default!;
        if ((uint)position >= (uint)bytes.Length) return false;
        var rest = bytes[position..];
        int used;
        if (typeof(T) == typeof(double))
        {
            if (!TryReadDouble(rest, out var d, out used)) return false;
            value = Unsafe.As<double, T>(ref d);
        }
        else if (typeof(T) == typeof(float))
        {
            if (rest[0] != 0xca || rest.Length < 5) return false;
            var f = BinaryPrimitives.ReadSingleBigEndian(rest[1..]);
            value = Unsafe.As<float, T>(ref f);
            used = 5;
        }
        else if (typeof(T) == typeof(bool))
        {
            if (rest[0] is not (0xc2 or 0xc3)) return false;
            var b = rest[0] == 0xc3;
            value = Unsafe.As<bool, T>(ref b);
            used = 1;
        }
        else if (typeof(T) == typeof(ulong) || typeof(T) == typeof(uint) || typeof(T) == typeof(ushort) || typeof(T) == typeof(byte))
        {
            if (!TryReadInteger(rest, out var magnitude, out var negative, out used) || negative) return false;
            if (!TryNarrowUnsigned(magnitude, out value)) return false;
        }
        else
        {
            if (!TryReadInteger(rest, out var raw, out var negative, out used)) return false;
            // A positive value past long.MaxValue (a uint64) fits no signed type.
            if (!negative && raw > long.MaxValue) return false;
            if (!TryNarrowSigned((long)raw, out value)) return false;
        }
        position += used;
        return true;
    }

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/> (at least <see cref="MaxBytes"/> long) and returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static int Write(Span<byte> destination, T value)
    {
        if (typeof(T) == typeof(double))
        {
            destination[0] = 0xcb;
            BinaryPrimitives.WriteDoubleBigEndian(destination[1..], Unsafe.As<T, double>(ref value));
            return 9;
        }
        if (typeof(T) == typeof(float))
        {
            destination[0] = 0xca;
            BinaryPrimitives.WriteSingleBigEndian(destination[1..], Unsafe.As<T, float>(ref value));
            return 5;
        }
        if (typeof(T) == typeof(bool))
        {
            destination[0] = Unsafe.As<T, bool>(ref value) ? (byte)0xc3 : (byte)0xc2;
            return 1;
        }
        if (typeof(T) == typeof(ulong)) return WriteUnsigned(destination, Unsafe.As<T, ulong>(ref value));
        if (typeof(T) == typeof(uint)) return WriteUnsigned(destination, Unsafe.As<T, uint>(ref value));
        if (typeof(T) == typeof(ushort)) return WriteUnsigned(destination, Unsafe.As<T, ushort>(ref value));
        if (typeof(T) == typeof(byte)) return WriteUnsigned(destination, Unsafe.As<T, byte>(ref value));
        if (typeof(T) == typeof(long)) return WriteSigned(destination, Unsafe.As<T, long>(ref value));
        if (typeof(T) == typeof(int)) return WriteSigned(destination, Unsafe.As<T, int>(ref value));
        if (typeof(T) == typeof(short)) return WriteSigned(destination, Unsafe.As<T, short>(ref value));
        if (typeof(T) == typeof(sbyte)) return WriteSigned(destination, Unsafe.As<T, sbyte>(ref value));
        throw new NotSupportedException($"{typeof(T)} is not a primitive this codec writes.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool TryReadDouble(ReadOnlySpan<byte> rest, out double value, out int used)
    {
        if (rest[0] == 0xcb && rest.Length >= 9)
        {
            value = BinaryPrimitives.ReadDoubleBigEndian(rest[1..]);
            used = 9;
            return true;
        }
        if (rest[0] == 0xca && rest.Length >= 5)
        {
            value = BinaryPrimitives.ReadSingleBigEndian(rest[1..]);
            used = 5;
            return true;
        }
        value = 0;
        used = 0;
        return false;
    }

    // Any integer form: the magnitude as bits of a ulong (a negative value as its two's complement) and its sign.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool TryReadInteger(ReadOnlySpan<byte> rest, out ulong value, out bool negative, out int used)
    {
        var code = rest[0];
        negative = false;
        value = 0;
        used = 0;
        if (code <= 0x7f)
        {
            value = code;
            used = 1;
            return true;
        }
        if (code >= 0xe0)
        {
            value = (ulong)(long)(sbyte)code;
            negative = true;
            used = 1;
            return true;
        }
        switch (code)
        {
            case 0xcc when rest.Length >= 2: value = rest[1]; used = 2; return true;
            case 0xcd when rest.Length >= 3: value = BinaryPrimitives.ReadUInt16BigEndian(rest[1..]); used = 3; return true;
            case 0xce when rest.Length >= 5: value = BinaryPrimitives.ReadUInt32BigEndian(rest[1..]); used = 5; return true;
            case 0xcf when rest.Length >= 9: value = BinaryPrimitives.ReadUInt64BigEndian(rest[1..]); used = 9; return true;
            case 0xd0 when rest.Length >= 2: value = (ulong)(long)(sbyte)rest[1]; used = 2; break;
            case 0xd1 when rest.Length >= 3: value = (ulong)(long)BinaryPrimitives.ReadInt16BigEndian(rest[1..]); used = 3; break;
            case 0xd2 when rest.Length >= 5: value = (ulong)(long)BinaryPrimitives.ReadInt32BigEndian(rest[1..]); used = 5; break;
            case 0xd3 when rest.Length >= 9: value = (ulong)BinaryPrimitives.ReadInt64BigEndian(rest[1..]); used = 9; break;
            default: return false;
        }
        negative = (long)value < 0;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool TryNarrowSigned(long raw, out T value)
    {
        if (typeof(T) == typeof(long)) return TryNarrow<long>(raw, out value);
        if (typeof(T) == typeof(int)) return TryNarrow<int>(raw, out value);
        if (typeof(T) == typeof(short)) return TryNarrow<short>(raw, out value);
        if (typeof(T) == typeof(sbyte)) return TryNarrow<sbyte>(raw, out value);
        value = default!;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool TryNarrowUnsigned(ulong raw, out T value)
    {
        if (typeof(T) == typeof(ulong)) return TryNarrow<ulong>(raw, out value);
        if (typeof(T) == typeof(uint)) return TryNarrow<uint>(raw, out value);
        if (typeof(T) == typeof(ushort)) return TryNarrow<ushort>(raw, out value);
        if (typeof(T) == typeof(byte)) return TryNarrow<byte>(raw, out value);
        value = default!;
        return false;
    }

    // A signed integer as a TInteger (which is T) when it is in range: generic math the JIT specializes per type.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool TryNarrow<TInteger>(long raw, out T value) where TInteger : struct, IBinaryInteger<TInteger>, IMinMaxValue<TInteger>
    {
        var fits = raw >= long.CreateTruncating(TInteger.MinValue) && raw <= long.CreateTruncating(TInteger.MaxValue);
        var narrowed = TInteger.CreateTruncating(raw);
        value = Unsafe.As<TInteger, T>(ref narrowed);
        return fits;
    }

    // An unsigned integer as a TInteger (which is T) when it is in range.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool TryNarrow<TInteger>(ulong raw, out T value) where TInteger : struct, IBinaryInteger<TInteger>, IMinMaxValue<TInteger>
    {
        var fits = raw <= ulong.CreateTruncating(TInteger.MaxValue);
        var narrowed = TInteger.CreateTruncating(raw);
        value = Unsafe.As<TInteger, T>(ref narrowed);
        return fits;
    }

    // MessagePack's shortest form of a value that may be negative: a negative fixint, int8, int16, int32 or int64.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static int WriteSigned(Span<byte> destination, long value)
    {
        if (value >= 0) return WriteUnsigned(destination, (ulong)value);
        if (value >= -32)
        {
            destination[0] = unchecked((byte)(sbyte)value);
            return 1;
        }
        if (value >= sbyte.MinValue)
        {
            destination[0] = 0xd0;
            destination[1] = unchecked((byte)(sbyte)value);
            return 2;
        }
        if (value >= short.MinValue)
        {
            destination[0] = 0xd1;
            BinaryPrimitives.WriteInt16BigEndian(destination[1..], (short)value);
            return 3;
        }
        if (value >= int.MinValue)
        {
            destination[0] = 0xd2;
            BinaryPrimitives.WriteInt32BigEndian(destination[1..], (int)value);
            return 5;
        }
        destination[0] = 0xd3;
        BinaryPrimitives.WriteInt64BigEndian(destination[1..], value);
        return 9;
    }

    // MessagePack's shortest form of a value that is not negative: a positive fixint, uint8, uint16, uint32 or uint64.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        if (value <= 0x7f)
        {
            destination[0] = (byte)value;
            return 1;
        }
        if (value <= byte.MaxValue)
        {
            destination[0] = 0xcc;
            destination[1] = (byte)value;
            return 2;
        }
        if (value <= ushort.MaxValue)
        {
            destination[0] = 0xcd;
            BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)value);
            return 3;
        }
        if (value <= uint.MaxValue)
        {
            destination[0] = 0xce;
            BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)value);
            return 5;
        }
        destination[0] = 0xcf;
        BinaryPrimitives.WriteUInt64BigEndian(destination[1..], value);
        return 9;
    }
}
