namespace Supervisor.Pipelines;

/// <summary>
/// One item failed in one stage, which fails the whole run: names the stage (0 is the first stage after the
/// source) and the item's index in that stage's input, counted from 0 in the order the stage took items in.
/// The call's own error is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class PipelineItemException : Exception
{
    /// <summary>Creates the error for item <paramref name="itemIndex"/> of stage <paramref name="stageIndex"/>.</summary>
    public PipelineItemException(int stageIndex, long itemIndex, Exception innerException)
        : base($"Pipeline stage {stageIndex} failed on its item {itemIndex}: {innerException?.Message}", innerException)
    {
        StageIndex = stageIndex;
        ItemIndex = itemIndex;
    }

    /// <summary>Creates the error with a message only; prefer the constructor naming the stage and item.</summary>
    public PipelineItemException(string message) : this(message, null) { }

    /// <summary>Creates the error with a message and cause; prefer the constructor naming the stage and item.</summary>
    public PipelineItemException(string message, Exception? innerException) : base(message, innerException)
    {
        StageIndex = -1;
        ItemIndex = -1;
    }

    /// <summary>Creates the error without details; prefer the constructor naming the stage and item.</summary>
    public PipelineItemException() : this("A pipeline stage failed on one of its items.", null) { }

    /// <summary>The failing stage, counted from 0 after the source; -1 when not known.</summary>
    public int StageIndex { get; }

    /// <summary>The failing item's index in that stage's input, from 0; -1 when not known.</summary>
    public long ItemIndex { get; }
}
