window.collect = {
    copy: async function (text) {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return;
        }
        const area = document.createElement("textarea");
        area.value = text;
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
    },
    // Re-issues the sign-in cookie after a change that renewed the security stamp.
    refreshSignIn: async function () {
        await fetch("/account/refresh", { credentials: "same-origin", cache: "no-store" });
    },
    // Starts or stops acting as another user; the answer re-issues the sign-in cookie. Null on success, else the reason.
    impersonate: async function (id, action) {
        const response = await fetch(`/api/impersonate/${encodeURIComponent(id)}/${action === "stop" ? "stop" : "start"}`,
            { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } });
        if (response.ok) return null;
        try {
            const body = await response.json();
            return body && body.message ? body.message : `The server answered ${response.status}.`;
        } catch {
            return `The server answered ${response.status}.`;
        }
    }
};
