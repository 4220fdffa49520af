"use strict";
// Submits the changelist's company filter as soon as a company is picked or cleared.
{
    const $ = django.jQuery;

    $(function () {
        $(".filter-autocomplete-select").on("change", function () {
            // A cleared box sends no parameter at all, which shows every company.
            this.disabled = !this.value;
            this.form.submit();
        });
    });
}
