using Hangfire.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Collect.Web.Jobs;

/// <summary>
/// Hangfire's log goes to the host's logging. Hangfire keeps one log provider per process, so with several hosts in
/// one process (the tests) it may outlive the host it came from: a logger asked of a disposed logger factory is then
/// silent instead of an exception inside whatever Hangfire was doing (enqueueing a job for a request, say).
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory loggers) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new Forwarder(loggers.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Forwarder(ILogger logger) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = Map(logLevel);
            if (messageFunc is null) return logger.IsEnabled(level);
            if (!logger.IsEnabled(level)) return false;
            logger.Log(level, 0, exception, "{Message}", messageFunc());
            return true;
        }

        private static MsLogLevel Map(Hangfire.Logging.LogLevel level) => level switch
        {
            Hangfire.Logging.LogLevel.Trace => MsLogLevel.Trace,
            Hangfire.Logging.LogLevel.Debug => MsLogLevel.Debug,
            Hangfire.Logging.LogLevel.Info => MsLogLevel.Information,
            Hangfire.Logging.LogLevel.Warn => MsLogLevel.Warning,
            Hangfire.Logging.LogLevel.Error => MsLogLevel.Error,
            _ => MsLogLevel.Critical,
        };
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
