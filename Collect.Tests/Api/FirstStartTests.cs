using System.Net;
using System.Text.RegularExpressions;
using Collect.Core.Access;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Api;

/// <summary>Console output is process-wide, so these tests never run alongside each other.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class FirstStartTests
{
    [Fact]
    public async Task Without_a_configured_password_the_first_admin_gets_a_generated_one_printed_once()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(output));
        string? password;
        try
        {
            using var factory = new GeneratedPasswordFactory();
            factory.StartServer();
            password = Regex.Match(output.ToString(), "created with password: (\\S+)").Groups[1].Value;

            Assert.False(string.IsNullOrEmpty(password), "the generated password is printed");
            var (client, response) = await factory.PostLoginAsync("admin", password);
            Assert.Equal("/", response.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/user")).StatusCode);
            Assert.Equal(0, await factory.WithDbAsync(db => db.ApiTokens.CountAsync()));

            // A second start on the same database creates no second admin and prints nothing new.
            output.GetStringBuilder().Clear();
            using var restarted = new GeneratedPasswordFactory(factory.ConnectionString);
            restarted.StartServer();
            Assert.DoesNotContain("created with password", output.ToString());
            Assert.Equal(1, await restarted.WithDbAsync(db => db.Users.CountAsync(u => u.RoleId == BuiltInRoles.Admin)));
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    private sealed class GeneratedPasswordFactory(string? connectionString = null) : CollectWebFactory
    {
        protected override Dictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Collect:Admin:Password"] = "";
            settings["Collect:Admin:ApiToken"] = "";
            if (connectionString is not null) settings["ConnectionStrings:Collect"] = connectionString;
            return settings;
        }
    }
}

[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;
