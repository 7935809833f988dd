using System.Text.Json.Nodes;

namespace Supervisor.Benchmarks;

/// <summary>One result line: a JSON object whose first field is the scenario, fields in the order added (as python's emit).</summary>
internal sealed class JsonLine
{
    private readonly JsonObject _fields;

    public JsonLine(string scenario) => _fields = new JsonObject { ["scenario"] = scenario };

    public JsonLine Add(string name, JsonNode? value)
    {
        _fields[name] = value;
        return this;
    }

    /// <summary>Writes the line and flushes, so a reader sees each scenario as it finishes.</summary>
    public void Emit()
    {
        Console.Out.WriteLine(_fields.ToJsonString());
        Console.Out.Flush();
    }
}
