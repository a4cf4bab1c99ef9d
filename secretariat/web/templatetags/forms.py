from django import forms, template

register = template.Library()


@register.filter
def bootstrap_widget(bound_field):
    """Render a field's widget with Bootstrap's class and ARIA state for errors."""
    widget = bound_field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    attrs = {"class": css + (" is-invalid" if bound_field.errors else "")}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}_errors"
    elif bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_help"
    return bound_field.as_widget(attrs=attrs)
