using Collect.Core.Settings;

namespace Collect.Web.Components.Shared;

/// <summary>
/// Per circuit: the system settings, read once when a page first asks and then kept, so that no page reads them per row.
/// A change shows in other circuits when they are next opened; the settings page drops its own copy when it saves.
/// </summary>
public sealed class CircuitSettings(SystemSettingsService settings)
{
    private Task<SettingValues>? _values;

    public Task<SettingValues> GetAsync()
    {
        // A failed read is not kept: the next page tries again.
        if (_values is null || _values.IsFaulted || _values.IsCanceled) _values = settings.ValuesAsync();
        return _values;
    }

    public void Forget() => _values = null;
}
