package main

import (
	"context"

	"dubbo.apache.org/dubbo-go/v3/common/constant"
	"dubbo.apache.org/dubbo-go/v3/common/extension"
	"dubbo.apache.org/dubbo-go/v3/filter"
	"dubbo.apache.org/dubbo-go/v3/protocol"
)

// attachmentsFilter is the name of the consumer filter that carries
// attachments. dubbo-go's Connection.CallUnary builds the invocation itself
// and, unlike the classic proxy API, never reads the context's attachments,
// so this filter does: the map under constant.AttachmentKey goes out as
// request attachments, and the response attachments are copied into the
// *responseAttachments found in the context.
const attachmentsFilter = "kitexdubbo-attachments"

type responseAttachmentsKey struct{}

// responseAttachments receives a call's response attachments.
type responseAttachments struct {
	m map[string]interface{}
}

// withAttachments returns a context whose calls send atts.
func withAttachments(ctx context.Context, atts map[string]interface{}) context.Context {
	return context.WithValue(ctx, constant.AttachmentKey, atts)
}

// withResponseAttachments returns a context whose calls store the response
// attachments in the returned holder.
func withResponseAttachments(ctx context.Context) (context.Context, *responseAttachments) {
	r := &responseAttachments{}
	return context.WithValue(ctx, responseAttachmentsKey{}, r), r
}

type attachmentFilter struct{}

func (attachmentFilter) Invoke(ctx context.Context, invoker protocol.Invoker, inv protocol.Invocation) protocol.Result {
	switch m := ctx.Value(constant.AttachmentKey).(type) {
	case map[string]interface{}:
		for k, v := range m {
			inv.SetAttachment(k, v)
		}
	case map[string]string:
		for k, v := range m {
			inv.SetAttachment(k, v)
		}
	}
	return invoker.Invoke(ctx, inv)
}

func (attachmentFilter) OnResponse(ctx context.Context, res protocol.Result, _ protocol.Invoker, _ protocol.Invocation) protocol.Result {
	if r, ok := ctx.Value(responseAttachmentsKey{}).(*responseAttachments); ok {
		r.m = res.Attachments()
	}
	return res
}

func init() {
	extension.SetFilter(attachmentsFilter, func() filter.Filter { return attachmentFilter{} })
}
