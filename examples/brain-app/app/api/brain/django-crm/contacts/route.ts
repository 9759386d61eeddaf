import { NextRequest, NextResponse } from 'next/server'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  try {
    const searchParams = request.nextUrl.searchParams

    // Build URL with params
    let url = `${BRAIN_API_URL}/api/crm/contacts/`
    const params = new URLSearchParams()

    if (searchParams.get('search')) params.set('search', searchParams.get('search')!)
    if (searchParams.get('status')) params.set('status', searchParams.get('status')!)
    if (searchParams.get('page')) params.set('page', searchParams.get('page')!)
    if (searchParams.get('page_size')) params.set('page_size', searchParams.get('page_size')!)

    url += `?${params.toString()}`

    const response = await fetch(url, {
      headers: {
        'Content-Type': 'application/json',
      },
    })

    if (!response.ok) {
      return NextResponse.json(
        { error: 'Failed to fetch contacts' },
        { status: response.status }
      )
    }

    const data = await response.json()
    return NextResponse.json(data)
  } catch (error) {
    console.error('Error fetching contacts:', error)
    return NextResponse.json(
      { error: 'Failed to fetch contacts' },
      { status: 500 }
    )
  }
}

export async function POST(request: NextRequest) {
  try {
    const body = await request.json()

    const response = await fetch(`${BRAIN_API_URL}/api/crm/contacts/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Authorization': request.headers.get('authorization') || '',
      },
      body: JSON.stringify(body)
    })

    if (!response.ok) {
      const detail = await response.text()
      return NextResponse.json(
        { error: 'Failed to create contact', detail },
        { status: response.status }
      )
    }

    const data = await response.json()
    return NextResponse.json(data, { status: 201 })
  } catch (error) {
    console.error('Error creating contact:', error)
    return NextResponse.json(
      { error: 'Failed to create contact' },
      { status: 500 }
    )
  }
}
