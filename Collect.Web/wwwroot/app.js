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
    }
};
