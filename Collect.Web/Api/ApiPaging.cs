using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Collect.Web.Api;

/// <summary>Marks a list endpoint that accepts page and per_page, and documents them in OpenAPI.</summary>
internal sealed class PagedListMetadata;

internal static class ApiPaging
{
    public static RouteHandlerBuilder WithPaging(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new PagedListMetadata());

    /// <summary>The handlers read page and per_page themselves (to name them in errors), so OpenAPI learns of them here.</summary>
    public static OpenApiOptions AddPagingParameters(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<PagedListMetadata>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(Query("page", "Page number, from 1. Without page or per_page the whole list is answered."));
                operation.Parameters.Add(Query("per_page", $"Items per page, 1 to {Collect.Core.Access.PageRequest.MaxPerPage} (default 50)."));
            }
            return Task.CompletedTask;
        });

    private static OpenApiParameter Query(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
    };
}
