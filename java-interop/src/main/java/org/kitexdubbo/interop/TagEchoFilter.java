package org.kitexdubbo.interop;

import org.apache.dubbo.common.constants.CommonConstants;
import org.apache.dubbo.common.extension.Activate;
import org.apache.dubbo.rpc.Filter;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcException;

/**
 * Dubbo's ContextFilter drops routing keys such as dubbo.tag from what a
 * service can read; this filter keeps the request's tag for the call's
 * thread so echoAttachments can show what the caller sent.
 */
@Activate(group = CommonConstants.PROVIDER)
public class TagEchoFilter implements Filter {
    private static final ThreadLocal<String> TAG = new ThreadLocal<>();

    /** The dubbo.tag attachment of the call running on this thread, or null. */
    static String tag() {
        return TAG.get();
    }

    @Override
    public Result invoke(Invoker<?> invoker, Invocation invocation) throws RpcException {
        TAG.set(invocation.getAttachment(CommonConstants.TAG_KEY));
        try {
            return invoker.invoke(invocation);
        } finally {
            TAG.remove();
        }
    }
}
