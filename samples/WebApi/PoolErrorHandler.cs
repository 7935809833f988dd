using Microsoft.AspNetCore.Diagnostics;
using Supervisor;

namespace WebApi;

/// <summary>
/// Answers a failed pool call with a problem (RFC 9457) that says what went wrong in the worker: 502 when the worker
/// died under the call, 504 past the task timeout, 503 when the pool is broken, 500 when the function threw, 400 when
/// it refused its arguments. Other exceptions go on to the default handler.
/// </summary>
internal sealed class PoolErrorHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            WorkerCrashedException => (StatusCodes.Status502BadGateway, "The worker process running the call died"),
            TaskTimeoutException => (StatusCodes.Status504GatewayTimeout, "The call ran past its timeout; its worker was replaced"),
            PoolBrokenException => (StatusCodes.Status503ServiceUnavailable, "The process pool is broken"),
            RemoteTaskException { RemoteType: "System.ArgumentOutOfRangeException" } => (StatusCodes.Status400BadRequest, "The call refused its arguments"),
            RemoteTaskException => (StatusCodes.Status500InternalServerError, "The call failed in its worker"),
            _ => (0, null),
        };
        if (status == 0) return false;
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = exception.Message },
        });
    }
}
