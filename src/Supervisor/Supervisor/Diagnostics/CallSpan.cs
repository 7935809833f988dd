using System.Diagnostics;
using Supervisor.Dispatch;

namespace Supervisor.Diagnostics;

/// <summary>
/// The span of one submission (a call, or a map with its chunks) on the caller's side, from the moment it is submitted
/// to its outcome. Its context travels with the tasks (<see cref="WorkItem.Trace"/>), so the worker runs them in the
/// caller's trace. Without a listener on <see cref="SupervisorTelemetry.ActivitySourceName"/> nothing is made.
/// </summary>
internal readonly struct CallSpan
{
    private static readonly ActivitySource Source = new(SupervisorTelemetry.ActivitySourceName);

    private readonly Activity? _activity;

    private CallSpan(Activity activity) => _activity = activity;

    /// <summary>Starts the span, a child of the caller's <see cref="Activity.Current"/>, and leaves that one current.</summary>
    public static CallSpan Start(string operation, Function function, int calls)
    {
        if (!Source.HasListeners()) return default;
        var previous = Activity.Current;
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        if (activity is null) return default;
        // The span lasts until the outcome, not until the submitting method returns: the caller's code goes on in its own.
        Activity.Current = previous;
        activity.DisplayName = $"{operation} {function.Name}";
        activity.SetTag("supervisor.function", function.Name);
        activity.SetTag("supervisor.calls", calls);
        return new CallSpan(activity);
    }

    /// <summary>Sends the span's context with <paramref name="item"/> instead of the caller's.</summary>
    public void Attach(WorkItem item)
    {
        if (_activity is not null) item.Trace = _activity.Context;
    }

    /// <summary>
    /// The caller's task: <paramref name="completion"/>, which ends the span with its outcome before the caller resumes
    /// (a continuation beside the caller's own could run after it, and an exporter flushed at the end of a request
    /// would miss the span). Without a span it is <paramref name="completion"/> itself.
    /// </summary>
    public Task<T> EndWith<T>(Task<T> completion) => _activity is null ? completion : EndAfter(completion, _activity);

    private static async Task<T> EndAfter<T>(Task<T> completion, Activity activity)
    {
        try
        {
            return await completion.ConfigureAwait(false);
        }
        catch (Exception error) when (!completion.IsCanceled)
        {
            Fail(activity, error);
            throw;
        }
        catch
        {
            activity.SetStatus(ActivityStatusCode.Error, "cancelled");
            throw;
        }
        finally
        {
            activity.Stop();
        }
    }

    /// <summary>Ends the span now: the submission itself failed (an argument that cannot cross, a closed pool).</summary>
    public void EndWith(Exception error)
    {
        if (_activity is null) return;
        Fail(_activity, error);
        _activity.Stop();
    }

    private static void Fail(Activity activity, Exception error)
    {
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.AddException(error);
    }
}
