using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using Supervisor.Sharing;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// One walk over one value's object graph, for the types whose verdict asks for it: visits polymorphic members
/// with their runtime types, finds cycles, and turns every refusal into an <see cref="UnserializableValueException"/>
/// naming the exact path. Single use, single thread.
/// </summary>
internal sealed class ValueWalk
{
    // In _visiting: the object has been fully checked (through another path of a DAG) and need not be seen again.
    private const int Checked = -1;

    private readonly TypeVerdictCache _verdicts;
    private readonly string _root;
    private readonly int _maxDepth;
    private readonly List<PathSegment> _path = [];
    // Objects being walked map to the path length at which they were entered: meeting one of them again is a cycle.
    private readonly Dictionary<object, int> _visiting = new(ReferenceEqualityComparer.Instance);
    private int _depth;

    public ValueWalk(TypeVerdictCache verdicts, string root, int maxDepth)
    {
        _verdicts = verdicts;
        _root = root;
        _maxDepth = maxDepth;
    }

    /// <summary>Checks <paramref name="value"/>, held in a slot declared as <paramref name="declaredType"/>, at the current path.</summary>
    public void Visit(object? value, Type declaredType)
    {
        var declared = _verdicts.Get(declaredType);
        if (value is null)
        {
            ThrowIfProblem(declared);
            return;
        }

        var runtimeType = value.GetType();
        var verdict = runtimeType == declaredType ? declared : _verdicts.Get(runtimeType);
        if (verdict.Kind != VerdictKind.Safe && verdict.Shape is ValueShape.Object or ValueShape.Sequence or ValueShape.Dictionary)
        {
            // Walk even a refused type: the values usually show exactly which item or member is at fault.
            WalkParts(value, verdict);
        }

        // A runtime type the user cannot name (RuntimeType, say) reads worse than the declared one, when that is refused too.
        if (!runtimeType.IsVisible && declared.Problem is { RelativePath.Length: 0 }) ThrowIfProblem(declared);
        ThrowIfProblem(verdict);
        ThrowIfProblem(declared);
    }

    private void WalkParts(object value, TypeVerdict verdict)
    {
        if (_visiting.TryGetValue(value, out var enteredAt))
        {
            if (enteredAt == Checked) return; // a shared reference in a DAG, already checked: not a cycle
            throw Fail(value.GetType(),
                $"the object graph has a cycle (this object is also its own ancestor at {Render(enteredAt)})",
                "break the cycle or send ids instead of references");
        }
        if (_depth >= _maxDepth)
        {
            throw Fail(value.GetType(), $"the object graph is nested more than {_maxDepth} levels deep",
                "flatten it (for example a list of items that refer to each other by id)");
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Fail(value.GetType(), "the object graph is nested too deeply to check",
                "flatten it (for example a list of items that refer to each other by id)");
        }

        _visiting[value] = _path.Count;
        _depth++;
        switch (verdict.Shape)
        {
            case ValueShape.Object:
                WalkMembers(value, verdict);
                break;
            case ValueShape.Sequence:
                WalkItems(value, verdict);
                break;
            default:
                WalkEntries(value, verdict);
                break;
        }
        _depth--;
        _visiting[value] = Checked;
    }

    private void WalkMembers(object value, TypeVerdict verdict)
    {
        foreach (var member in verdict.Members)
        {
            if (_verdicts.Get(member.Type).IsSettled) continue;
            _path.Add(PathSegment.Member(member.PathText));
            Visit(member.CanRead ? Read(value, member) : null, member.Type);
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private void WalkItems(object value, TypeVerdict verdict)
    {
        if (_verdicts.Get(verdict.ElementType).IsSettled) return;
        var items = Open((IEnumerable)value, value);
        try
        {
            for (var index = 0; Next(items, value); index++)
            {
                _path.Add(PathSegment.Index(index));
                Visit(items.Current, verdict.ElementType);
                _path.RemoveAt(_path.Count - 1);
            }
        }
        finally
        {
            (items as IDisposable)?.Dispose();
        }
    }

    private void WalkEntries(object value, TypeVerdict verdict)
    {
        var checkKeys = !_verdicts.Get(verdict.KeyType).IsSettled;
        var checkValues = !_verdicts.Get(verdict.ValueType).IsSettled;
        if (!checkKeys && !checkValues) return;

        // Every BCL dictionary is also a non-generic IDictionary (DictionaryEntry items); a bare IReadOnlyDictionary yields KeyValuePairs.
        var entries = Open((IEnumerable)value, value);
        try
        {
            for (var position = 0; Next(entries, value); position++)
            {
                object? key, item;
                if (entries.Current is DictionaryEntry entry) (key, item) = (entry.Key, entry.Value);
                else (key, item) = (verdict.PairKey!.GetValue(entries.Current), verdict.PairValue!.GetValue(entries.Current));

                if (checkKeys)
                {
                    _path.Add(PathSegment.Key(position));
                    Visit(key, verdict.KeyType);
                    _path.RemoveAt(_path.Count - 1);
                }
                if (checkValues)
                {
                    _path.Add(PathSegment.Value(key, position));
                    Visit(item, verdict.ValueType);
                    _path.RemoveAt(_path.Count - 1);
                }
            }
        }
        finally
        {
            (entries as IDisposable)?.Dispose();
        }
    }

    // The user's getters and enumerators run here; their failures become reports at the path where they happened.
#pragma warning disable CA1031 // whatever a user getter or enumerator throws is reported, with it as the inner exception
    private object? Read(object owner, WalkMember member)
    {
        try
        {
            return member.Read(owner);
        }
        catch (Exception e)
        {
            throw Fail(member.Type, $"reading it threw {e.GetType().Name} ({e.Message})",
                "make the getter safe to call, or mark the member [IgnoreMember]", e);
        }
    }

    private IEnumerator Open(IEnumerable source, object owner)
    {
        try
        {
            return source is IDictionary map ? map.GetEnumerator() : source.GetEnumerator();
        }
        catch (Exception e)
        {
            throw EnumerationFailed(owner, e);
        }
    }

    private bool Next(IEnumerator items, object owner)
    {
        try
        {
            return items.MoveNext();
        }
        catch (Exception e)
        {
            throw EnumerationFailed(owner, e);
        }
    }
#pragma warning restore CA1031

    private UnserializableValueException EnumerationFailed(object owner, Exception e) =>
        Fail(owner.GetType(), $"enumerating it threw {e.GetType().Name} ({e.Message})",
            "pass a materialized collection (an array or a List<T>)", e);

    private void ThrowIfProblem(TypeVerdict verdict)
    {
        if (verdict.Problem is { } problem)
        {
            throw new UnserializableValueException(Render(_path.Count) + problem.RelativePath, problem.Type, problem.Reason, problem.Advice);
        }
    }

    private UnserializableValueException Fail(Type type, string reason, string advice, Exception? inner = null) =>
        new(Render(_path.Count), type, reason, advice, inner);

    // The root plus the first `length` steps of the current path.
    private string Render(int length)
    {
        var text = new StringBuilder(_root);
        for (var i = 0; i < length; i++)
        {
            _path[i].AppendTo(text);
        }
        return text.ToString();
    }
}
