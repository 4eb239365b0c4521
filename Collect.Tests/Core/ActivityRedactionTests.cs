using System.Text.Json.Nodes;
using Collect.Core.Activity;

namespace Collect.Tests.Core;

public sealed class ActivityRedactionTests
{
    [Fact]
    public void Secret_looking_fields_are_redacted_at_any_depth_and_others_kept()
    {
        var node = JsonNode.Parse("""
            {"name": "billing", "password": "hunter2", "result": {"token": "abc", "items": [{"api_secret": "s", "id": 4}]}}
            """);

        var redacted = ActivityRecorder.Redact(node)!.ToJsonString();

        Assert.DoesNotContain("hunter2", redacted);
        Assert.DoesNotContain("\"abc\"", redacted);
        Assert.DoesNotContain("\"s\"", redacted);
        Assert.Contains("billing", redacted);
        Assert.Contains("\"id\":4", redacted);
    }
}
