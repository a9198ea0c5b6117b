namespace Easel.Providers.ComfyUI;

/// <summary>The ComfyUI workflow file cannot be used as a template: not JSON, not the API format, or a placeholder missing or unknown.</summary>
public sealed class ComfyUIWorkflowException(string message, Exception? inner = null) : Exception(message, inner);
