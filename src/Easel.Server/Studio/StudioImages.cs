using Easel.Core.Gallery;
using Easel.Core.Orders;

namespace Easel.Server.Studio;

/// <summary>Sizes of thumbnails as the API makes them (at most 320 pixels a side), so pages reserve their space.</summary>
internal static class StudioImages
{
    public const int ThumbSide = Api.Thumbnails.MaxSide;

    public static int ThumbWidth(ImageRecord image) => image.Width >= image.Height ? ThumbSide : Math.Max(1, (int)Math.Round((double)ThumbSide * image.Width / image.Height));

    public static int ThumbHeight(ImageRecord image) => image.Height >= image.Width ? ThumbSide : Math.Max(1, (int)Math.Round((double)ThumbSide * image.Height / image.Width));
}

/// <summary>One slot card of the contact sheet, with the address its actions post to.</summary>
internal sealed record SlotCard(SlotView Slot, Order Order, string PageUrl);

/// <summary>The approve / approve part / reject form of one request.</summary>
/// <param name="ReturnUrl">Where to go after deciding (the page the form is on), or null for Approvals.</param>
/// <param name="CanDecide">False for requesters: they see the request and a hint instead of the form.</param>
internal sealed record DecisionForm(ApprovalRequest Request, string? ReturnUrl, bool CanDecide);
