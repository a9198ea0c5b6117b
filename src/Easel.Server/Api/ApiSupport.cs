using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Providers.References;
using Easel.Server.Hosting;
using Easel.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Easel.Server.Api;

/// <summary>A request the API answers with a problem rather than a result; thrown by helpers, answered by <see cref="ApiErrors"/>.</summary>
internal sealed class ApiProblemException(IResult problem, string message) : Exception(message)
{
    public IResult Problem { get; } = problem;

    public static ApiProblemException BadRequest(string title, string detail) =>
        new(Problems.Result(StatusCodes.Status400BadRequest, title, detail), detail);

    public static ApiProblemException Invalid(string field, string message) =>
        new(TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "Invalid request"), message);

    public static ApiProblemException Invalid(IDictionary<string, string[]> errors) =>
        new(TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)), title: "Invalid request"), "Invalid request.");

    public static ApiProblemException NotFound(string detail) =>
        new(Problems.Result(StatusCodes.Status404NotFound, "Not found", detail), detail);

    public static ApiProblemException Conflict(string title, string detail) =>
        new(Problems.Result(StatusCodes.Status409Conflict, title, detail), detail);
}

/// <summary>Turns what Core says is wrong into problem details, so each handler stays a few lines long.</summary>
internal static class ApiErrors
{
    public static RouteGroupBuilder WithApiErrors(this RouteGroupBuilder builder) =>
        builder.AddEndpointFilter(MapAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    public static RouteHandlerBuilder WithApiErrors(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(MapAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    private static async ValueTask<object?> MapAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiProblemException ex)
        {
            return ex.Problem;
        }
        catch (OrderInputException ex)
        {
            return TypedResults.ValidationProblem(ex.Errors, detail: ex.Message, title: "The order cannot be placed as given");
        }
        catch (OrderRejectedException ex)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "The order cannot be placed as given", ex.Message);
        }
        catch (PresetException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["preset"] = [ex.Message] }, detail: ex.Message, title: "Unknown preset");
        }
        catch (ReferenceException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["references"] = [ex.Message] }, detail: ex.Message, title: "Reference image refused");
        }
        catch (ApprovalRefusedException ex)
        {
            return Problems.Result(StatusCodes.Status409Conflict, "Decision refused", ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            return Problems.Result(StatusCodes.Status404NotFound, "Not found", ex.Message);
        }
        catch (AmbiguousIdException ex)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "Ambiguous id", ex.Message);
        }
        catch (ArgumentException ex) when (ex.ParamName == "idOrPrefix")
        {
            // The message without the " (Parameter 'idOrPrefix')" tail .NET appends.
            var detail = ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
            return Problems.Result(StatusCodes.Status400BadRequest, "Id too short", detail);
        }
    }
}

/// <summary>Small things every endpoint does: check ids, read bodies, name the caller, wake the worker.</summary>
internal static class Requests
{
    /// <summary>Longest id or prefix taken from a route; real ids are about 30 characters.</summary>
    public const int MaxIdLength = 100;

    /// <summary>An id or id prefix from the route: letters, digits, '_' and '-' only, so nothing else ever reaches a query or a path.</summary>
    public static string CheckId(string? id, string what)
    {
        var text = id?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxIdLength || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw ApiProblemException.BadRequest($"Bad {what} id",
                $"'{Shorten(text)}' is not {("aeiou".Contains(what[0], StringComparison.Ordinal) ? "an" : "a")} {what} id: ids are at most {MaxIdLength} letters, digits, '_' and '-'.");
        }
        return text;
    }

    /// <summary>Text from the request, cut short for a message.</summary>
    public static string Shorten(string text, int length = 40) => text.Length <= length ? text : text[..length] + "…";

    /// <summary>The signed-in person, as the audit trail records them.</summary>
    public static string UserName(ClaimsPrincipal user, EaselServices services) =>
        user.Identity?.Name is { Length: > 0 } name ? name : services.UserName;

    /// <summary>Something changed here: the worker and the live streams react at once rather than at their next poll.</summary>
    public static void Nudge(EaselServices services, OrderFeed feed)
    {
        services.Nudge();
        feed.Nudge();
    }

    public static async Task<Order> FindOrderAsync(EaselServices services, string id, CancellationToken cancellationToken)
    {
        var key = CheckId(id, "order");
        return await services.Store.Orders.FindAsync(key, cancellationToken)
            ?? throw ApiProblemException.NotFound($"There is no order '{key}'. GET {ApiLinks.Root}/orders lists them.");
    }

    public static async Task<ImageRecord> FindImageAsync(EaselServices services, string id, CancellationToken cancellationToken)
    {
        var key = CheckId(id, "image");
        return await services.Store.Images.FindAsync(key, cancellationToken)
            ?? throw ApiProblemException.NotFound($"There is no image '{key}'. GET {ApiLinks.Root}/images lists them.");
    }

    /// <summary>Largest JSON body: orders and decisions are small documents.</summary>
    public const long MaxJsonBytes = EaselServer.MaxRequestBytes;

    /// <summary>
    /// Reads a JSON body of at most <see cref="MaxJsonBytes"/>, answering a bad one with a problem
    /// that names the field at fault. An empty body gives null (optional bodies) unless <paramref name="required"/>.
    /// </summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpContext context, bool required) where T : class
    {
        var request = context.Request;
        if (request.ContentLength > MaxJsonBytes)
            throw TooLarge();
        var bytes = await ReadBodyAsync(context, MaxJsonBytes);
        if (bytes.Length == 0)
        {
            if (required)
                throw ApiProblemException.BadRequest("Body missing", $"Send the request as a JSON object with Content-Type: application/json; see {ApiLinks.Root}/openapi.json.");
            return null;
        }
        if (!IsJson(request))
        {
            throw new ApiProblemException(
                Problems.Result(StatusCodes.Status415UnsupportedMediaType, "Send JSON", "Send the body as a JSON object with Content-Type: application/json."),
                "Not JSON.");
        }
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, options)
                ?? throw ApiProblemException.BadRequest("Body missing", "The body is JSON null; send a JSON object.");
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            if (field is null)
            {
                throw ApiProblemException.BadRequest("Body is not valid JSON",
                    $"The body is not a valid JSON object (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}); fix it and send it again.");
            }
            var name = field.Split('.', '[')[0];
            throw ApiProblemException.Invalid(name, $"'{field}' must be {Expected(typeof(T), name)}.");
        }
    }

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type
        && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.Split(';')[0].Trim() is var media && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted);
                if (read == 0)
                    break;
                if (buffer.Length + read > limit)
                    throw TooLarge();
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own limit (Kestrel) stopped the body first.
            throw TooLarge();
        }
        return buffer.ToArray();
    }

    public static ApiProblemException TooLarge(long limit = MaxJsonBytes) => new(
        Problems.Result(StatusCodes.Status413PayloadTooLarge, "Request too large",
            $"The request body is larger than the {limit / (1024 * 1024)} MB this endpoint accepts; send less."),
        "Too large.");

    /// <summary>What a field of <paramref name="type"/> takes, in words, for a message about a wrong value.</summary>
    private static string Expected(Type type, string jsonName)
    {
        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.Name.Equals(jsonName, StringComparison.OrdinalIgnoreCase));
        var t = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return t switch
        {
            null => "a value of the right type",
            _ when t == typeof(int) || t == typeof(long) => "a whole number",
            _ when t == typeof(bool) => "true or false",
            _ when t == typeof(string) => "text",
            _ when t.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "a list of text",
            _ => "a value of the right type",
        };
    }

    /// <summary>
    /// Describes the body in the OpenAPI document. Handlers read bodies themselves (to name the field
    /// at fault), so no content-type metadata may make routing refuse a request before they can explain.
    /// </summary>
    public static RouteHandlerBuilder WithBody<T>(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.WithBody<T>(required: true, contentTypes);

    public static RouteHandlerBuilder WithOptionalBody<T>(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.WithBody<T>(required: false, contentTypes);

    private static RouteHandlerBuilder WithBody<T>(this RouteHandlerBuilder builder, bool required, string[] contentTypes) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = required,
                Content = contentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
            };
        });

    /// <summary>Lets one endpoint take bodies larger than the server's default (reference uploads).</summary>
    public static RouteHandlerBuilder WithRequestSizeLimit(this RouteHandlerBuilder builder, long bytes) =>
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(bytes));
}
