using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Collect.Tests.Infrastructure;

/// <summary>
/// Keeps the last error-level log entries of a test server (message and exception), so that an assertion on an
/// unexpected 500 can show what the server saw instead of only "Server error".
/// </summary>
public sealed class ServerErrorLog : ILoggerProvider
{
    private const int Keep = 20;
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    /// <summary>The kept entries as one block of text, or an empty string.</summary>
    public string Describe() => _entries.IsEmpty ? "" : "\nServer errors:\n" + string.Join("\n---\n", _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Add(string entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > Keep) _entries.TryDequeue(out _);
    }

    private sealed class Logger(ServerErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            log.Add($"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
        }
    }
}
